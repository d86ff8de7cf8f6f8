using System.CommandLine;
using System.Text.Json;
using EdgeAgent.Onnx;
using EdgeAgent.Testing;

namespace EdgeAgent.Benchmarks.Pipeline;

/// <summary><c>bench pipeline</c>: issue 5's figures, each beside its peer from the same run.</summary>
internal static class PipelineBenchCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "The folder of real models (../shared/models)", Required = true };
        var pairs = new Option<int>("--pairs") { Description = "Alternating pipeline/bare blocks", DefaultValueFactory = _ => 20 };
        var blockSeconds = new Option<double>("--block-seconds") { Description = "Seconds each throughput block counts frames", DefaultValueFactory = _ => 1.5 };
        var json = new Option<string>("--json")
        {
            Description = "Where to write the results as JSON",
            DefaultValueFactory = _ => Path.Combine(MachineInfo.RepositoryRoot(), "artifacts", "bench", "pipeline.json"),
        };
        var command = new Command("pipeline", "The camera pipeline against the bare Run loop, per-frame cost, start-up and the demo models") { models, pairs, blockSeconds, json };
        command.SetAction((parsed, _) => RunAsync(parsed.GetValue(models)!, parsed.GetValue(pairs), TimeSpan.FromSeconds(parsed.GetValue(blockSeconds)), parsed.GetValue(json)!));
        return command;
    }

    private static async Task<int> RunAsync(string models, int pairs, TimeSpan block, string json)
    {
        if (pairs < 1 || block <= TimeSpan.Zero)
        {
            await Console.Error.WriteLineAsync("bench pipeline: --pairs and --block-seconds must be positive");
            return 2;
        }

        var started = DateTimeOffset.Now;
        var library = OrtLibrary.Load();
        using var environment = OrtEnvironment.Create(library);
        using var layout = new ClassifierLayout(models);
        var package = EdgeAgent.Models.ModelPackage.FindHighest(layout.Root, ClassifierLayout.Name);
        using var session = environment.CreateSession(package.ModelPath, new InferenceSessionOptions
        {
            IntraOpThreads = 1,
            InterOpThreads = 1,
            ExecutionMode = ExecutionMode.Sequential,
            OptimizationLevel = GraphOptimizationLevel.All,
        });

        await Console.Error.WriteLineAsync("bench: pipeline throughput against the bare Run loop");
        var unpaced = await PipelineThroughput.MeasureAsync(package, session, pairs, block, cameraFps: null);
        // Unpaced, ffmpeg makes each frame once the pipeline has taken the one before (the target's row). Paced a quarter above
        // what the bare loop reaches, it makes frames at its own rate, as a camera faster than inference, and the pipeline
        // keeps the newest.
        var paced = await PipelineThroughput.MeasureAsync(package, session, pairs, block, cameraFps: Math.Ceiling(unpaced.BareFps * 1.25));
        await Console.Error.WriteLineAsync("bench: per-frame cost outside inference");
        var cost = await FrameCost.MeasureAsync(package, session, blocks: 20, framesPerBlock: 200);

        await Console.Error.WriteLineAsync("bench: daemon start-up, demo models");
        var startups = new List<StartupResult>();
        using (var broker = await MosquittoBroker.StartAsync())
        {
            foreach (var model in new[] { "demo-classifier", "demo-classifier-fp32" })
            {
                var cache = Directory.CreateTempSubdirectory("edge-agent-bench-cache-");
                try
                {
                    startups.Add(await DaemonStartup.MeasureAsync(broker, model, cache.FullName, cachedGraph: false));
                    startups.Add(await DaemonStartup.MeasureAsync(broker, model, cache.FullName, cachedGraph: true));
                }
                finally
                {
                    cache.Delete(recursive: true);
                }
            }
        }

        await Console.Error.WriteLineAsync("bench: demo model, fp32 against int8");
        var root = MachineInfo.RepositoryRoot();
        var graph = (await File.ReadAllTextAsync(Path.Combine(root, "models", "demo-camera.lavfi"))).Trim();
        var demo = await DemoVariants.MeasureAsync(environment, Path.Combine(root, "models"), graph, frames: 400);

        var report = new PipelineReport(started, MachineInfo.Cpu(), Environment.ProcessorCount, unpaced, paced, cost, startups, demo);
        report.Print(Console.Out);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(json))!);
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, PipelineJsonContext.Default.PipelineReport));
        await Console.Out.WriteLineAsync($"wrote {json}");
        return 0;
    }
}
