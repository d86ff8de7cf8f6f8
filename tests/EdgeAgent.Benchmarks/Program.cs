using System.CommandLine;
using EdgeAgent.Benchmarks.Pipeline;

namespace EdgeAgent.Benchmarks;

/// <summary>
/// <c>./build.sh bench</c>: our ONNX Runtime binding against bare calls of the same function table and against
/// onnxruntime-node, on the real models, with issue 3's targets checked beside the figures.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var root = MachineInfo.RepositoryRoot();
        var models = new Option<string>("--models") { Description = "The folder of real models (../shared/models)", Required = true };
        var ortNode = new Option<string?>("--ort-node") { Description = "The node_modules folder holding onnxruntime-node and onnxruntime-common; without it Node is not measured" };
        var node = new Option<string>("--node") { Description = "The Node executable", DefaultValueFactory = _ => "node" };
        var overheadModel = new Option<string>("--overhead-model")
        {
            Description = "The tiny model whose row shows per-run overhead",
            DefaultValueFactory = _ => Path.Combine(root, "tests", "models", "add.onnx"),
        };
        var threads = new Option<int[]>("--threads") { Description = "Intra-op thread counts, repeatable", DefaultValueFactory = _ => [1, 2] };
        var only = new Option<string[]>("--only") { Description = "Measure only models whose name contains this, repeatable" };
        var pairs = new Option<int>("--pairs") { Description = "Interleaved repeats per row", DefaultValueFactory = _ => 21 };
        var blockMs = new Option<double>("--block-ms") { Description = "Milliseconds each side's block aims at", DefaultValueFactory = _ => 150 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs per side before the repeats, at least", DefaultValueFactory = _ => 20 };
        var warmupMs = new Option<double>("--warmup-ms") { Description = "Untimed milliseconds per side before the repeats, at least", DefaultValueFactory = _ => 300 };
        var minRuns = new Option<int>("--min-runs") { Description = "Fewest runs in a block", DefaultValueFactory = _ => 5 };
        var maxRuns = new Option<int>("--max-runs") { Description = "Most runs in a block", DefaultValueFactory = _ => 50_000 };
        var json = new Option<string>("--json")
        {
            Description = "Where to write the results as JSON",
            DefaultValueFactory = _ => Path.Combine(root, "artifacts", "bench", "onnx.json"),
        };
        var command = new RootCommand("Benchmarks edge-agent's ONNX Runtime binding against bare calls and onnxruntime-node")
        {
            models, ortNode, node, overheadModel, threads, only, pairs, blockMs, warmup, warmupMs, minRuns, maxRuns, json,
            Sensors.SensorBench.Create(root),
        };
        command.Subcommands.Add(PipelineBenchCommand.Create());
        command.Subcommands.Add(Outbox.OutboxBenchCommand.Create(root));
        command.Subcommands.Add(Updates.UpdatesBenchCommand.Create());
        command.SetAction(parsed => BenchRunner.Run(new BenchSettings(
            parsed.GetValue(models)!,
            parsed.GetValue(ortNode),
            parsed.GetValue(node)!,
            parsed.GetValue(overheadModel)!,
            parsed.GetValue(threads) ?? [1, 2],
            parsed.GetValue(only) ?? [],
            parsed.GetValue(pairs),
            parsed.GetValue(blockMs),
            parsed.GetValue(warmup),
            parsed.GetValue(warmupMs),
            parsed.GetValue(minRuns),
            parsed.GetValue(maxRuns),
            parsed.GetValue(json)!)));
        return command.Parse(args).Invoke();
    }
}
