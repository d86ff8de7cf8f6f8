using EdgeAgent.Benchmarks.Pipeline;
using EdgeAgent.Configuration;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Pipeline;
using EdgeAgent.Sources;
using EdgeAgent.Updates;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Benchmarks.Updates;

/// <summary>What <paramref name="Swaps"/> activations under a 30 fps camera stream did to its frames.</summary>
internal sealed record SwapResult(int Swaps, int Results, long FramesSpanned, long DroppedBySource, long FramesLost, int HalfSwapped, long Failed, double SwapP50Ms, double SwapMaxMs);

/// <summary>
/// The model swap test's approach at benchmark scale: a testsrc stream at 30 fps runs a classifier while the
/// registry activates, in turn, the 64x64 demo classifier and the 224x224 MobileNetV2-int8 under the same name.
/// A frame is lost when the indexes between the first and last result have more gaps than the source itself
/// dropped (newest frame wins while inference is busy); a frame is half-swapped when its version and its label
/// come from different models (the demo's labels are not ImageNet's).
/// </summary>
internal static class SwapUnderStream
{
    private static readonly TimeSpan s_between = TimeSpan.FromMilliseconds(150);

    public static async Task<SwapResult> MeasureAsync(OrtEnvironment environment, string classifierRoot, int swaps)
    {
        var small = ModelPackage.Open(ClassifierLayout.Name, 1, Path.Combine(MachineInfo.RepositoryRoot(), "models", "demo-classifier", "1"));
        var large = ModelPackage.Open(ClassifierLayout.Name, 3, Path.Combine(classifierRoot, ClassifierLayout.Name, "1"));
        using var registry = new ModelRegistry(environment, new InferenceSessionOptions { IntraOpThreads = 1 }, "bench");
        var stream = new StreamOptions { Name = "cam0", Model = ClassifierLayout.Name };
        var settings = new CameraSettings { Url = "testsrc=rate=30", Width = 320, Height = 240, Fps = 30 };
        await using var source = new CameraSource("cam0", settings, new QuietObserver(), NullLogger.Instance, TimeProvider.System);
        var ledger = new FrameLedger();
        var pipeline = new StreamPipeline("cam0", source, registry.Serve(registry.Load(small), stream, settings.Geometry, watch: null), new PublishPolicy("all", 0), new FrameThrottle(0, TimeProvider.System), ledger, NullLogger.Instance);
        registry.Attach(pipeline, stream, settings.Geometry);
        using var stop = new CancellationTokenSource();
        source.Start();
        var running = pipeline.RunAsync(stop.Token);
        await WaitForFirstResultAsync(ledger);

        var swapMs = new List<double>(swaps);
        for (var swap = 0; swap < swaps; swap++)
        {
            var next = registry.Open(swap % 2 == 0 ? large : small);
            var prepared = registry.Prepare(next, watch: null);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            registry.Activate(next, prepared);
            swapMs.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await Task.Delay(s_between);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }

        var results = ledger.Snapshot();
        var frames = results.Select(r => r.Frame).ToList();
        var spanned = frames.Max() - frames.Min() + 1;
        var gaps = spanned - frames.Distinct().Count();
        var halfSwapped = results.Count(r => (r.Version == small.Version) != small.Labels.Contains(r.Label));
        swapMs.Sort();
        return new SwapResult(
            swaps,
            results.Count,
            spanned,
            source.FramesDropped,
            Math.Max(0, gaps - source.FramesDropped),
            halfSwapped,
            pipeline.Failed,
            swapMs[swapMs.Count / 2],
            swapMs[^1]);
    }

    private static async Task WaitForFirstResultAsync(FrameLedger ledger)
    {
        var limit = System.Diagnostics.Stopwatch.StartNew();
        while (ledger.Count == 0)
        {
            if (limit.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("the swap stream gave no result within 60 s");
            }

            await Task.Delay(50);
        }
    }
}
