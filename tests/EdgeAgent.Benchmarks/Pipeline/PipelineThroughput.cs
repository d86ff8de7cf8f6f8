using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.CompilerServices;
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
    PairedStatistic? CameraBeside,
    double BytesPerFrame,
    long Frames,
    int SourceLosses);

/// <summary>
/// An ffmpeg camera (640x480 rgb24, unpaced: as fast as the pipeline takes frames, or paced at a given rate) through the whole stream pipeline
/// (preprocessing, the shared session, postprocessing, the result writer, a sink), against bare calls of the
/// function table's Run slot on the same session; both at the session's intra-op threads, in alternating blocks, the
/// two blocks of a pair with their inference pinned to the same CPU, pair after pair to each CPU in turn.
/// Unpaced, each pair adds a third block: the bare loop beside the camera and its preprocessing alone, at the rate the
/// pipeline block reached (<see cref="CameraLoad"/>), for what the camera by itself takes from inference on this machine.
/// Unpaced, one pipeline runs the whole row and is paused during the bare blocks (its sink holds the inference thread,
/// and behind it the preparing thread, the frame reader and ffmpeg all block), so a pair's two blocks follow each other
/// at once. Paced, ffmpeg would catch up after a pause with a burst, so each pipeline block starts a camera of its own.
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

        var blocks = new List<PipelineBlock>();
        var bareFps = new List<double>();
        var losses = 0;
        var cpus = CpuPinning.Allowed();
        var besideFps = new List<double>();
        // The load first: its camera starting beside a counted block would be counted in it.
        await using var load = cameraFps is null ? await CameraLoad.StartAsync(package, session) : null;
        var held = cameraFps is null ? await RunningPipeline.StartAsync(package, session, null) : null;
        try
        {
            for (var pair = 0; pair < pairs; pair++)
            {
                var cpu = cpus[pair % cpus.Count];
                // Alternate which side goes first, so a drift of the machine over the run favours neither.
                for (var k = 0; k < 2; k++)
                {
                    if ((pair + k) % 2 == 0)
                    {
                        if (held is not null)
                        {
                            blocks.Add(await held.MeasureAsync(block, cpu));
                        }
                        else
                        {
                            await using var own = await RunningPipeline.StartAsync(package, session, cameraFps);
                            blocks.Add(await own.MeasureAsync(block, cpu));
                            losses += own.Losses;
                        }
                    }
                    else
                    {
                        bareFps.Add(RunBare(bare, block, cpu));
                    }
                }

                if (load is not null)
                {
                    besideFps.Add(load.Beside(blocks[^1].Fps, [MethodImpl(MethodImplOptions.AggressiveOptimization)] () => RunBare(bare, block, cpu)));
                }
            }
        }
        finally
        {
            losses += load?.Losses ?? 0;
            if (held is not null)
            {
                losses += held.Losses;
                await held.DisposeAsync();
            }
        }

        var frames = blocks.Sum(b => b.Frames);
        return new ThroughputResult(
            cameraFps,
            pairs,
            block.TotalSeconds,
            LatencyStatistics.Percentile([.. blocks.Select(b => b.Fps).Order()], 0.5),
            LatencyStatistics.Percentile([.. bareFps.Order()], 0.5),
            LatencyStatistics.Percentile([.. blocks.Select(b => b.BusyMs).Order()], 0.5),
            PairedStatistic.From([.. blocks.Zip(bareFps, (ours, floor) => ours.Fps / floor)]),
            besideFps.Count == 0 ? null : PairedStatistic.From([.. besideFps.Zip(bareFps, (beside, alone) => beside / alone)]),
            frames == 0 ? double.NaN : (double)blocks.Sum(b => b.Allocated) / frames,
            frames,
            losses);
    }

    /// <summary>
    /// The bench's camera: testsrc made at the stream's size, so ffmpeg only draws (scaling its default 320x240 up cost
    /// more than the frames' copies), and, paced, at the rate itself, so that frames come evenly rather than in bursts.
    /// </summary>
    public static CameraSettings Camera(double? cameraFps) => cameraFps is { } fps
        ? new CameraSettings { Url = string.Create(CultureInfo.InvariantCulture, $"testsrc=size=640x480:rate={fps:0}"), Width = 640, Height = 480, Fps = fps, Realtime = true }
        : new CameraSettings { Url = "testsrc=size=640x480", Width = 640, Height = 480, Fps = 30, Realtime = false };

    /// <summary>
    /// The bare loop for one block, on a thread of its own pinned to <paramref name="cpu"/>. Optimised at once: called
    /// 40 times in the unpaced row, it would be promoted by tiered compilation in the middle of it, and a promotion
    /// allocates inside whatever block is being counted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double RunBare(BareSide bare, TimeSpan block, int cpu)
    {
        var fps = 0.0;
        var thread = new Thread([MethodImpl(MethodImplOptions.AggressiveOptimization)] () =>
        {
            CpuPinning.PinCurrentThread(cpu);
            var runs = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < block)
            {
                bare.Measure(1);
                runs++;
            }

            fps = runs / watch.Elapsed.TotalSeconds;
        })
        { Name = "bare" };
        thread.Start();
        thread.Join();
        return fps;
    }

    private readonly record struct PipelineBlock(double Fps, double BusyMs, long Allocated, long Frames);

    /// <summary>A camera through a whole stream pipeline into a counting sink, warmed, measured a block at a time.</summary>
    private sealed class RunningPipeline : IAsyncDisposable
    {
        private readonly CameraSource _source;
        private readonly ModelRunner _runner;
        private readonly ResultWriter _writer;
        private readonly CountingSink _sink = new();
        private readonly QuietObserver _observer = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly StreamPipeline _pipeline;
        private readonly Task _running;

        private RunningPipeline(ModelPackage package, InferenceSession session, double? cameraFps)
        {
            var settings = Camera(cameraFps);
            _source = new CameraSource("bench", settings, _observer, NullLogger.Instance, TimeProvider.System);
            _runner = new ModelRunner(package, session, settings.Geometry, 0f);
            _writer = new ResultWriter("bench", "bench", package);
            _pipeline = new StreamPipeline("bench", _source, _runner, _writer, new PublishPolicy("all", 0), new FrameThrottle(0, TimeProvider.System), _sink, NullLogger.Instance);
            _source.Start();
            _running = _pipeline.RunAsync(_stop.Token);
        }

        public int Losses => _observer.Losses;

        public static async Task<RunningPipeline> StartAsync(ModelPackage package, InferenceSession session, double? cameraFps)
        {
            var running = new RunningPipeline(package, session, cameraFps);

            // Warm: ffmpeg started, the JIT done with every path a frame takes, and tiered compilation's promotions of
            // them, which allocate (24,768 B inside the first counted block after a warm-up of 30 frames alone). Until no
            // method has been compiled for half a second: promotions wait while others are compiled, and after a fixed
            // second the first pairs still ran at 0.68-0.85 of the bare loop, rising over the next few (it takes 2.7-2.9 s now).
            var warm = Stopwatch.StartNew();
            var compiled = JitInfo.GetCompiledMethodCount();
            var quietSince = warm.Elapsed;
            while ((running._pipeline.Inferred < 30 || warm.Elapsed < TimeSpan.FromSeconds(1) || warm.Elapsed - quietSince < TimeSpan.FromSeconds(0.5))
                && warm.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10);
                var now = JitInfo.GetCompiledMethodCount();
                if (now != compiled)
                {
                    (compiled, quietSince) = (now, warm.Elapsed);
                }
            }

            running._sink.Pause();
            return running;
        }

        /// <summary>
        /// Lets frames through for <paramref name="block"/> with the inference thread pinned to <paramref name="cpu"/>
        /// (the rest of the stream and ffmpeg go where the scheduler puts them), counting them, then pauses the stream again.
        /// </summary>
        public async Task<PipelineBlock> MeasureAsync(TimeSpan block, int cpu)
        {
            // Suspended once before the count starts, where this method's state machine is boxed (160 B, counted in
            // every block before); the delay is made before it too, and the block timed without a Stopwatch object:
            // their allocations are the bench's, not the pipeline's.
            await Task.Yield();
            CpuPinning.PinThreadsNamed("infer:bench", cpu);
            var delay = Task.Delay(block);
            _ = _pipeline.TakeLatencies();
            var startFrames = _pipeline.Inferred;
            var startBytes = GC.GetTotalAllocatedBytes(precise: true);
            var started = Stopwatch.GetTimestamp();
            _sink.Resume();
            await delay;
            var endFrames = _pipeline.Inferred;
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var endBytes = GC.GetTotalAllocatedBytes(precise: true);
            _sink.Pause();
            var busy = _pipeline.TakeLatencies();
            var count = endFrames - startFrames;
            return new PipelineBlock(count / elapsed, busy.Length == 0 ? double.NaN : busy.Average(), endBytes - startBytes, count);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _sink.Resume();
            try
            {
                await _running;
            }
            catch (OperationCanceledException)
            {
            }

            await _source.DisposeAsync();
            _runner.Dispose();
            _writer.Dispose();
            _sink.Dispose();
            _stop.Dispose();
        }
    }
}
