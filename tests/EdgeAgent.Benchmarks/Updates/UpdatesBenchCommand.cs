using System.CommandLine;
using System.Text.Json;
using EdgeAgent.Benchmarks.Pipeline;
using EdgeAgent.Onnx;
using EdgeAgent.Testing;

namespace EdgeAgent.Benchmarks.Updates;

/// <summary><c>bench updates</c>: issue 7's figures (transfer rate, offer to activation, swaps under a stream), each beside its peer from the same run.</summary>
internal static class UpdatesBenchCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "The folder of real models (../shared/models)", Required = true };
        var pushes = new Option<int>("--pushes") { Description = "Versions of the classifier pushed to the daemon, one after another", DefaultValueFactory = _ => 5 };
        var swaps = new Option<int>("--swaps") { Description = "Model swaps under the 30 fps stream", DefaultValueFactory = _ => 100 };
        var json = new Option<string>("--json")
        {
            Description = "Where to write the results as JSON",
            DefaultValueFactory = _ => Path.Combine(MachineInfo.RepositoryRoot(), "artifacts", "bench", "updates.json"),
        };
        var command = new Command("updates", "Model updates: transfer MB/s beside mosquitto_pub, offer to activation, frames lost and half-swapped across swaps") { models, pushes, swaps, json };
        command.SetAction((parsed, _) => RunAsync(parsed.GetValue(models)!, parsed.GetValue(pushes), parsed.GetValue(swaps), parsed.GetValue(json)!));
        return command;
    }

    private static async Task<int> RunAsync(string models, int pushes, int swaps, string json)
    {
        if (pushes < 1 || swaps < 1)
        {
            await Console.Error.WriteLineAsync("bench updates: --pushes and --swaps must be positive");
            return 2;
        }

        using var layout = new ClassifierLayout(models);
        await Console.Error.WriteLineAsync($"bench: {pushes} push(es) of the classifier to the daemon after one untimed, beside mosquitto_pub");
        var started = DateTimeOffset.Now;
        var results = new List<PushResult>(pushes);
        using (var broker = await MosquittoBroker.StartAsync())
        {
            await using var daemon = await DaemonUpdates.StartAsync(broker, layout.Root);
            // The first push runs the daemon's update path cold (JIT, first staging); it is not what a fleet sees twice.
            await daemon.PushAsync(layout.Root, 2);
            for (var version = 3; version < pushes + 3; version++)
            {
                results.Add(await daemon.PushAsync(layout.Root, version));
            }
        }

        await Console.Error.WriteLineAsync($"bench: {swaps} swaps under a 30 fps stream");
        using var environment = OrtEnvironment.Create(OrtLibrary.Load());
        var swapResult = await SwapUnderStream.MeasureAsync(environment, layout.Root, swaps);

        var report = new UpdatesResults(started, MachineInfo.Cpu(), Environment.ProcessorCount, results, swapResult);
        UpdatesReport.Print(Console.Out, report);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(json))!);
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, UpdatesJsonContext.Default.UpdatesResults));
        await Console.Out.WriteLineAsync($"wrote {json}");
        return 0;
    }
}
