using EdgeAgent.Onnx;
using EdgeAgent.Onnx.Benchmarking;

namespace EdgeAgent.Benchmarks;

/// <summary>
/// Measures one row: one session and one set of bound tensors, run through our binding, through bare calls of the
/// same function table, and by the Node peer on the same model, threads and input bytes, in interleaved blocks
/// whose order rotates every repeat (ours-bare-node, bare-node-ours, node-ours-bare, ...).
/// </summary>
internal static class RowBenchmark
{
    public static RowResult Run(OrtEnvironment environment, ModelCase model, NodePeer? node, BenchSettings settings)
    {
        var options = new InferenceSessionOptions
        {
            IntraOpThreads = model.Threads,
            InterOpThreads = 1,
            ExecutionMode = ExecutionMode.Sequential,
            OptimizationLevel = GraphOptimizationLevel.All,
        };
        using var session = environment.CreateSession(model.Path, options);
        using var buffers = SessionBuffers.Create(session, model.Shapes, model.Values);
        using var binding = session.CreateBinding();
        buffers.BindTo(binding);
        using var bare = new BareSide(session, buffers);
        var ours = new BindingSide(binding);

        var sides = new List<IRunSide> { ours, bare };
        if (node is not null)
        {
            var nodeOutputs = node.Open(model.Path, model.Threads, NodeInputs.From(session, buffers));
            if (!nodeOutputs.SequenceEqual(session.Outputs.Select(o => o.Name)))
            {
                throw new InvalidOperationException($"{model.Name}: the Node peer computes [{string.Join(", ", nodeOutputs)}], we compute every output");
            }

            sides.Add(node);
        }

        try
        {
            return Measure(model, session, buffers, ours, sides, settings);
        }
        finally
        {
            node?.Close();
        }
    }

    private static RowResult Measure(ModelCase model, InferenceSession session, SessionBuffers buffers, BindingSide ours, List<IRunSide> sides, BenchSettings settings)
    {
        var runsPerBlock = new Dictionary<string, int>();
        foreach (var side in sides)
        {
            var meanMs = side.Warm(settings.WarmupRuns, settings.WarmupMs);
            runsPerBlock[side.Name] = (int)Math.Clamp(Math.Round(settings.BlockMs / Math.Max(meanMs, 1e-6)), settings.MinRunsPerBlock, settings.MaxRunsPerBlock);
        }

        var samples = sides.ToDictionary(s => s.Name, _ => new List<double>());
        var blockMedians = sides.ToDictionary(s => s.Name, _ => new double[settings.Pairs]);
        for (var pair = 0; pair < settings.Pairs; pair++)
        {
            for (var k = 0; k < sides.Count; k++)
            {
                var side = sides[(pair + k) % sides.Count];
                var block = side.Measure(runsPerBlock[side.Name]);
                samples[side.Name].AddRange(block);
                blockMedians[side.Name][pair] = LatencyStatistics.From(block).P50Ms;
            }
        }

        var oursP50 = blockMedians["ours"];
        var bareP50 = blockMedians["bare"];
        var nodeP50 = blockMedians.GetValueOrDefault("node");
        return new RowResult(
            model.Name,
            model.Threads,
            model.IsClassifier,
            model.IsOverheadProbe,
            [.. session.Inputs.Select((input, i) => $"{input.Name}: {input.ElementType.ToName()} [{string.Join("x", buffers.Inputs[i].Shape)}]")],
            runsPerBlock,
            LatencyStatistics.From(samples["ours"]),
            LatencyStatistics.From(samples["bare"]),
            nodeP50 is null ? null : LatencyStatistics.From(samples["node"]),
            PairedStatistic.From([.. bareP50.Zip(oursP50, (bare, o) => bare / o)]),
            nodeP50 is null ? null : PairedStatistic.From([.. oursP50.Zip(nodeP50, (o, n) => o / n)]),
            PairedStatistic.From([.. oursP50.Zip(bareP50, (o, bare) => (o - bare) * 1000)]),
            nodeP50 is null ? null : PairedStatistic.From([.. nodeP50.Zip(bareP50, (n, bare) => (n - bare) * 1000)]),
            ours.BytesPerRun,
            ours.AllocatedBytes,
            ours.MeasuredRuns);
    }
}
