using System.Diagnostics;
using System.Text.Json;
using EdgeAgent.Onnx;

namespace EdgeAgent.Benchmarks;

/// <summary>Runs every row, prints the table and the targets, and writes the JSON report.</summary>
internal static class BenchRunner
{
    public static int Run(BenchSettings settings)
    {
        if (settings.Pairs < 1 || settings.BlockMs <= 0 || settings.MinRunsPerBlock < 1 || settings.MaxRunsPerBlock < settings.MinRunsPerBlock || settings.Threads.Any(t => t < 1))
        {
            Console.Error.WriteLine("bench: --pairs, --block-ms, --min-runs and --threads must be positive, and --max-runs at least --min-runs");
            return 2;
        }

        if (!Directory.Exists(settings.ModelsDirectory))
        {
            Console.Error.WriteLine($"bench: --models {settings.ModelsDirectory}: no such directory");
            return 2;
        }

        if (!File.Exists(settings.OverheadModel))
        {
            Console.Error.WriteLine($"bench: --overhead-model {settings.OverheadModel}: no such file (tests/models/make_test_models.py writes it)");
            return 2;
        }

        var started = DateTimeOffset.Now;
        var watch = Stopwatch.StartNew();
        var library = OrtLibrary.Load();
        using var environment = OrtEnvironment.Create(library);
        var (node, nodeMissing) = StartNode(settings);
        using (node)
        {
            var cases = ModelCase.Discover(settings.ModelsDirectory, settings.Threads, settings.OverheadModel)
                .Where(c => settings.Only.Count == 0 || settings.Only.Any(o => c.Name.Contains(o, StringComparison.OrdinalIgnoreCase)))
                .ToList();
            var rows = new List<RowResult>();
            foreach (var model in cases)
            {
                Console.Error.WriteLine($"bench: {model.Name}, {model.Threads} intra-op thread(s)");
                rows.Add(RowBenchmark.Run(environment, model, node, settings));
            }

            var nodeLibrary = settings.OrtNodeModules is null ? null : Path.GetFullPath(NodePeer.LibraryPath(settings.OrtNodeModules));
            var report = new BenchReport(
                started,
                Math.Round(watch.Elapsed.TotalSeconds, 1),
                library.Version,
                library.Path,
                environment.AvailableProviders,
                node?.Version,
                nodeLibrary,
                nodeLibrary is not null && MachineInfo.SameBytes(library.Path, nodeLibrary),
                nodeMissing,
                MachineInfo.Cpu(),
                Environment.ProcessorCount,
                settings,
                rows,
                TargetCheck.Evaluate(rows, nodeMissing));
            ReportTable.Print(Console.Out, report);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.JsonPath))!);
            File.WriteAllText(settings.JsonPath, JsonSerializer.Serialize(report, BenchJsonContext.Default.BenchReport));
            Console.Out.WriteLine($"wrote {settings.JsonPath} after {report.ElapsedSeconds:0.0} s");
        }

        return 0;
    }

    private static (NodePeer? Peer, string? Missing) StartNode(BenchSettings settings)
    {
        if (settings.OrtNodeModules is null)
        {
            return (null, "no --ort-node folder was given");
        }

        try
        {
            return (NodePeer.Start(settings.Node, settings.OrtNodeModules), null);
        }
        catch (InvalidOperationException ex)
        {
            return (null, ex.Message);
        }
    }
}
