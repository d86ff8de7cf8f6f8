using System.Diagnostics;
using System.Globalization;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Onnx.Benchmarking;
using EdgeAgent.Pipeline;
using EdgeAgent.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Benchmarks.Pipeline;

/// <summary>Frames per second of the pipeline and of the bare Run loop, from interleaved blocks.</summary>
internal sealed record ThroughputResult(
    double? CameraFps,
    int Pairs,
    double BlockSeconds,
    double PipelineFps,
    double BareFps,
    double BusyMs,
    PairedStatistic Ratio,
    double BytesPerFrame,
    long Frames,
    int SourceLosses);

/// <summary>
/// An ffmpeg camera (640x480 rgb24, unpaced: as fast as the pipeline takes frames, or paced at a given rate) through the whole stream pipeline
/// (preprocessing, the shared session, postprocessing, the result writer, a sink), against bare calls of the
/// function table's Run slot on the same session; both at the session's intra-op threads, in alternating blocks.
/// </summary>
internal static class PipelineThroughput
{
    public static async Task<ThroughputResult> MeasureAsync(ModelPackage package, InferenceSession session, int pairs, TimeSpan block, double? cameraFps)
    {
        using var buffers = SessionBuffers.Create(session);
        using var binding = session.CreateBinding();
        buffers.BindTo(binding);
        using var bare = new BareSide(session, buffers);
        bare.Warm(20, 300);

        var ratios = new List<double>();
        var pipelineFps = new List<double>();
        var bareFps = new List<double>();
        var busyMs = new List<double>();
        long allocated = 0, frames = 0;
        var losses = 0;
        for (var pair = 0; pair < pairs; pair++)
        {
            // Alternate which side goes first, so a drift of the machine over the run favours neither.
            double ours = 0, floor = 0;
            for (var k = 0; k < 2; k++)
            {
                if ((pair + k) % 2 == 0)
                {
                    var run = await RunPipelineAsync(package, session, block, cameraFps);
                    ours = run.Fps;
                    busyMs.Add(run.BusyMs);
                    allocated += run.Allocated;
                    frames += run.Frames;
                    losses += run.Losses;
                }
                else
                {
                    floor = RunBare(bare, block);
                }
            }

            pipelineFps.Add(ours);
            bareFps.Add(floor);
            ratios.Add(ours / floor);
        }

        return new ThroughputResult(
            cameraFps,
            pairs,
            block.TotalSeconds,
            LatencyStatistics.Percentile([.. pipelineFps.Order()], 0.5),
            LatencyStatistics.Percentile([.. bareFps.Order()], 0.5),
            LatencyStatistics.Percentile([.. busyMs.Order()], 0.5),
            PairedStatistic.From(ratios),
            frames == 0 ? double.NaN : (double)allocated / frames,
            frames,
            losses);
    }

    private static double RunBare(BareSide bare, TimeSpan block)
    {
        var runs = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < block)
        {
            bare.Measure(1);
            runs++;
        }

        return runs / watch.Elapsed.TotalSeconds;
    }

    private static async Task<(double Fps, double BusyMs, long Allocated, long Frames, int Losses)> RunPipelineAsync(ModelPackage package, InferenceSession session, TimeSpan block, double? cameraFps)
    {
        // testsrc made at the stream's size, so ffmpeg only draws (scaling its default 320x240 up cost more than the
        // frames' copies), and, paced, at the rate itself, so that frames come evenly rather than in bursts of copies.
        var settings = cameraFps is { } fps
            ? new CameraSettings { Url = string.Create(CultureInfo.InvariantCulture, $"testsrc=size=640x480:rate={fps:0}"), Width = 640, Height = 480, Fps = fps, Realtime = true }
            : new CameraSettings { Url = "testsrc=size=640x480", Width = 640, Height = 480, Fps = 30, Realtime = false };
        var observer = new QuietObserver();
        await using var source = new CameraSource("bench", settings, observer, NullLogger.Instance, TimeProvider.System);
        using var runner = new ModelRunner(package, session, settings.Geometry, 0f);
        using var writer = new ResultWriter("bench", "bench", package);
        var sink = new CountingSink();
        var pipeline = new StreamPipeline("bench", source, runner, writer, new PublishPolicy("all", 0), new FrameThrottle(0, TimeProvider.System), sink, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        source.Start();
        var running = pipeline.RunAsync(stop.Token);

        // Warm: ffmpeg started, the JIT done with every path a frame takes, and tiered compilation's promotions of
        // them, which allocate (24,768 B inside the first counted block after a warm-up of 30 frames alone).
        var warm = Stopwatch.StartNew();
        while ((pipeline.Inferred < 30 || warm.Elapsed < TimeSpan.FromSeconds(1)) && warm.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }

        // The delay is made before the count starts, and the block timed without a Stopwatch object: their
        // allocations are the bench's, not the pipeline's.
        var delay = Task.Delay(block);
        _ = pipeline.TakeLatencies();
        var startFrames = pipeline.Inferred;
        var startBytes = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        await delay;
        var endFrames = pipeline.Inferred;
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var endBytes = GC.GetTotalAllocatedBytes(precise: true);
        var busy = pipeline.TakeLatencies();

        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }

        var count = endFrames - startFrames;
        return (count / elapsed, busy.Length == 0 ? double.NaN : busy.Average(), endBytes - startBytes, count, observer.Losses);
    }
}
