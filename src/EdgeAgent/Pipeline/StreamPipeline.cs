using EdgeAgent.Onnx;
using EdgeAgent.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipeline;

/// <summary>
/// One stream: takes the newest frame from its source, throttles to MaxFps, runs the model, and hands each result
/// the publish mode lets through to the sink with the stream's next seq. A failed inference is counted and logged
/// and the next frame goes on. A model swap is taken between two frames by the loop itself, so no frame runs on a
/// half-swapped model and none is dropped for it.
/// </summary>
public sealed class StreamPipeline(
    string stream,
    CameraSource source,
    ServingModel serving,
    PublishPolicy policy,
    FrameThrottle throttle,
    IResultSink sink,
    ILogger logger) : IStreamPipeline
{
    private long _inferred;
    private long _published;
    private long _failed;
    private long _throttled;
    private readonly LatencyRecorder _latencies = new();
    private readonly SwapSlot<ServingModel> _swap = new();
    private ServingModel _current = serving;

    /// <summary>The model serving now.</summary>
    public ServingModel Current => Volatile.Read(ref _current);

    public StreamPipeline(string stream, CameraSource source, ModelRunner runner, ResultWriter writer, PublishPolicy policy, FrameThrottle throttle, IResultSink sink, ILogger logger)
        : this(stream, source, new ServingModel(runner, writer), policy, throttle, sink, logger)
    {
    }

    public string Stream => stream;

    public long Inferred => Interlocked.Read(ref _inferred);

    public long Published => Interlocked.Read(ref _published);

    public long Failed => Interlocked.Read(ref _failed);

    public long Throttled => Interlocked.Read(ref _throttled);

    public long Progress => Inferred + Throttled + Failed;

    public double[] TakeLatencies() => _latencies.Take();

    /// <summary>
    /// Serves <paramref name="next"/> from the next frame on. Completes with the model it replaced once the loop has
    /// moved on from it (or with <paramref name="next"/> itself if a later swap superseded it first): the caller
    /// disposes what it gets back.
    /// </summary>
    public Task<ServingModel> SwapAsync(ServingModel next) => _swap.Offer(next);

    /// <summary>Once <see cref="RunAsync"/> has ended: hands a swap that never reached a frame back to its caller.</summary>
    public void CancelPendingSwap() => _swap.Cancel();

    /// <summary>
    /// Runs until <paramref name="stopping"/> fires (the task is then cancelled) or the source's channel ends, on a
    /// thread of its own that blocks while it waits for a frame. Inference holds the thread for milliseconds at a
    /// time: on the thread pool, the pool took it for a blocked worker and started new threads.
    /// </summary>
    public Task RunAsync(CancellationToken stopping)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(stopping);
                done.TrySetResult();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                done.TrySetCanceled(stopping);
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = $"infer:{stream}",
        };
        thread.Start();
        return done.Task;
    }

    private void Run(CancellationToken stopping)
    {
        Log.Started(logger, stream, _current.Runner.Package.Name, _current.Runner.Package.Version);
        var frames = source.Frames;
        var (width, height) = (source.Width, source.Height);
        var raw = IsRaw(_current);
        using var wait = new ChannelWait<Frame>(frames, stopping);
        while (wait.Wait())
        {
            while (frames.TryRead(out var frame))
            {
                if (!throttle.Admit())
                {
                    Interlocked.Increment(ref _throttled);
                    frame.Release();
                    continue;
                }

                if (_swap.Take(_current) is { } next)
                {
                    Volatile.Write(ref _current, next);
                    raw = IsRaw(next);
                }

                var (runner, writer, watch, _) = _current;
                var package = runner.Package;
                InferenceResult result;
                try
                {
                    result = runner.Run(frame, stopping);
                }
                catch (OrtException ex)
                {
                    Interlocked.Increment(ref _failed);
                    watch?.Failed(ex.Message);
                    Log.InferenceFailed(logger, stream, package.Name, package.Version, ex.Message);
                    continue;
                }
                finally
                {
                    frame.Release();
                }

                Interlocked.Increment(ref _inferred);
                watch?.Inferred(runner.Outputs, runner.OutputInfo, result);
                _latencies.Add(result.TotalMs);

                if (!policy.ShouldPublish(result))
                {
                    continue;
                }

                var seq = sink.NextSeq(stream);
                var payload = writer.Write(seq, result, width, height, raw ? runner.Outputs : null, raw ? runner.OutputInfo : null);
                sink.Enqueue(stream, seq, payload.Span);
                Interlocked.Increment(ref _published);
            }
        }
    }

    private static bool IsRaw(ServingModel serving) => serving.Runner.Package.Descriptor.Task == "raw";
}
