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
        var settings = new CameraSettings { Url = "testsrc=rate=30", Width = 320, Height = 240, Fps = 30 };
        await using var source = new CameraSource("cam0", settings, new RecordingObserver(), NullLogger.Instance, TimeProvider.System);
        var sink = new MemorySink();
        var pipeline = new StreamPipeline("cam0", source, registry.Serve(registry.Load(small), stream, settings.Geometry, watch: null), new PublishPolicy("all", 0), new FrameThrottle(0, TimeProvider.System), sink, NullLogger.Instance);
        registry.Attach(pipeline, stream, settings.Geometry);
        using var stop = new CancellationTokenSource();
        source.Start();
        var running = pipeline.RunAsync(stop.Token);
        var results = new List<(long Frame, int Version, string Label)> { Parse(sink.Next(TimeSpan.FromSeconds(60))) };

        for (var swap = 0; swap < 12; swap++)
        {
            var next = registry.Open(swap % 2 == 0 ? large : small);
            registry.Activate(next, registry.Prepare(next, watch: null));
            await Task.Delay(150);
        }

        await Task.Delay(300);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        results.AddRange(Drain(sink));

        // Every frame between the first and the last result has one, except those the source itself replaced by a
        // newer frame while inference was busy (newest wins, counted): a swap that lost a frame would leave one more gap.
        var frames = results.Select(r => r.Frame).ToList();
        Assert.Equal(frames.Count, frames.Distinct().Count());
        var gaps = frames.Max() - frames.Min() + 1 - frames.Count;
        Assert.True(gaps <= source.FramesDropped, $"{gaps} frame(s) without a result but only {source.FramesDropped} dropped by the source");
        Assert.Equal(0, pipeline.Failed);
        Assert.Equal([1, 3], results.Select(r => r.Version).Distinct().Order());
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
            try
            {
                results.Add(Parse(sink.Next(TimeSpan.FromMilliseconds(200))));
            }
            catch (TimeoutException)
            {
                return results;
            }
        }
    }

    private static (long Frame, int Version, string Label) Parse(JsonElement result) => (
        result.GetProperty("frame").GetProperty("index").GetInt64(),
        result.GetProperty("model").GetProperty("version").GetInt32(),
        result.GetProperty("top")[0].GetProperty("label").GetString()!);
}
