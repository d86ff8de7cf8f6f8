using System.Text.Json;
using EdgeAgent.Configuration;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Pipeline;
using EdgeAgent.Sources;
using EdgeAgent.Testing;
using EdgeAgent.Tests.Configuration;
using EdgeAgent.Tests.Pipeline;
using EdgeAgent.Tests.Sources;
using EdgeAgent.Updates;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Tests.Updates;

/// <summary>Swaps under a 30 fps stream between a 64x64 and a 224x224 classifier: no frame lost, none on a half-swapped model.</summary>
[Collection(OrtEnvironmentGroup.Name)]
public sealed class ModelSwapTests(OrtEnvironmentFixture ort) : IDisposable
{
    private readonly AgentLayout _layout = new();

    [Fact]
    public async Task Swaps_between_models_of_different_input_sizes_lose_no_frame_and_never_mix_models()
    {
        var small = ModelPackage.Open("classifier", 1, SignedUpdate.DemoClassifier);
        var large = ModelPackage.Open("classifier", 3, Path.Combine(_layout.Root, "models", "classifier", "3"));
        using var registry = new ModelRegistry(ort.Environment, new InferenceSessionOptions { IntraOpThreads = 1 }, "pi-01");
        var stream = new StreamOptions { Name = "cam0", Model = "classifier" };
        var settings = new CameraSettings { Url = "testsrc=duration=5:rate=30", Width = 320, Height = 240, Fps = 30, Loop = false };
        await using var source = new CameraSource("cam0", settings, new RecordingObserver(), NullLogger.Instance, TimeProvider.System);
        var sink = new MemorySink();
        var pipeline = new StreamPipeline("cam0", source, registry.Serve(registry.Load(small), stream, settings.Geometry, watch: null), new PublishPolicy("all", 0), new FrameThrottle(0, TimeProvider.System), sink, NullLogger.Instance);
        registry.Attach(pipeline, stream, settings.Geometry);
        source.Start();
        var running = pipeline.RunAsync(CancellationToken.None);

        var swaps = 0;
        while (!running.IsCompleted)
        {
            var next = registry.Open(swaps % 2 == 0 ? large : small);
            registry.Activate(next, registry.Prepare(next, watch: null));
            swaps++;
            await Task.WhenAny(running, Task.Delay(150));
        }

        await running;
        var results = Drain(sink);
        Assert.True(swaps >= 10, $"only {swaps} swaps happened during the stream");
        Assert.Equal(source.FramesRead - source.FramesDropped, results.Count);
        Assert.Equal(results.Count, results.Select(r => r.Frame).Distinct().Count());
        var versions = results.Select(r => r.Version).Distinct().Order().ToList();
        Assert.Equal([1, 3], versions);
        foreach (var (_, version, label) in results)
        {
            // The writer's version and the runner's labels come as one pair: a 64x64 result never carries an ImageNet label.
            Assert.Equal(version == 1, small.Labels.Contains(label));
        }
    }

    public void Dispose() => _layout.Dispose();

    private static List<(long Frame, int Version, string Label)> Drain(MemorySink sink)
    {
        var results = new List<(long, int, string)>();
        while (true)
        {
            JsonElement result;
            try
            {
                result = sink.Next(TimeSpan.FromMilliseconds(200));
            }
            catch (TimeoutException)
            {
                return results;
            }

            results.Add((
                result.GetProperty("frame").GetProperty("index").GetInt64(),
                result.GetProperty("model").GetProperty("version").GetInt32(),
                result.GetProperty("top")[0].GetProperty("label").GetString()!));
        }
    }
}
