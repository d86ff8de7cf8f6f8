using EdgeAgent.Onnx;
using EdgeAgent.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipeline;

/// <summary>
/// One stream: takes the newest frame from its source, throttles to MaxFps, preprocesses it on one thread and runs
/// the model on another, and hands each result the publish mode lets through to the sink with the stream's next seq.
/// A failed inference is counted and logged and the next frame goes on. A model swap is taken between two frames,
/// once those prepared for the old model are finished, so no frame runs on a half-swapped model and none is dropped
/// for it.
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
    /// Runs until <paramref name="stopping"/> fires (the task is then cancelled) or the source's channel ends, on two
    /// threads of the stream's own that block while they wait: one takes the newest frame and preprocesses it into a
    /// free input slot while the other runs inference on the slot prepared before, so preprocessing is off the
    /// inference thread, and so are postprocessing and publishing while inference sets the pace (see
    /// <see cref="PreparedFrames"/>). Inference holds a thread for milliseconds at a time: on the thread pool, the pool
    /// took it for a blocked worker and started new threads.
    /// </summary>
    public Task RunAsync(CancellationToken stopping)
    {
        var prepared = new PreparedFrames(_current.Runner.Slots, Finish, stopping);
        var preparing = OnThread($"prep:{stream}", () => Prepare(prepared, stopping), prepared.Complete, stopping);
        var inferring = OnThread($"infer:{stream}", () => Infer(prepared, stopping), prepared.Close, stopping);
        return WhenBothEndAsync(preparing, inferring, prepared);
    }

    private static async Task WhenBothEndAsync(Task preparing, Task inferring, PreparedFrames prepared)
    {
        try
        {
            await Task.WhenAll(preparing, inferring).ConfigureAwait(false);
        }
        finally
        {
            prepared.Dispose();
        }
    }

    /// <summary>Runs <paramref name="body"/> on a new thread, then <paramref name="ended"/> however it ended.</summary>
    private static Task OnThread(string name, Action body, Action ended, CancellationToken stopping)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                try
                {
                    body();
                }
                finally
                {
                    ended();
                }

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
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>
    /// The preparing thread: waits for room (finishing the frames left to it), then for a frame, throttles, takes a
    /// pending swap once the frames prepared for the old model are finished (so none runs on a half-swapped model and
    /// none is dropped for it), and preprocesses the frame into the serving model's next slot.
    /// </summary>
    private void Prepare(PreparedFrames prepared, CancellationToken stopping)
    {
        Log.Started(logger, stream, _current.Runner.Package.Name, _current.Runner.Package.Version);
        var frames = source.Frames;
        var slot = 0;
        using var wait = new ChannelWait<Frame>(frames, stopping);
        while (prepared.WaitForRoom() && wait.Wait())
        {
            if (!frames.TryRead(out var frame))
            {
                continue;
            }

            if (!throttle.Admit())
            {
                Interlocked.Increment(ref _throttled);
                frame.Release();
                continue;
            }

            if (_swap.HasOffer)
            {
                if (!prepared.WaitUntilIdle())
                {
                    frame.Release();
                    return;
                }

                if (_swap.Take(_current) is { } next)
                {
                    Volatile.Write(ref _current, next);
                    slot = 0;
                }
            }

            var serving = _current;
            HandOver(prepared, serving, frame, slot);
            slot = (slot + 1) % serving.Runner.Slots;
        }
    }

    /// <summary>
    /// Preprocesses <paramref name="frame"/> into <paramref name="slot"/> and hands it to the inference side, then
    /// releases the frame. In that order: the release wakes the camera's frame reader, and behind it ffmpeg, which on
    /// a busy CPU ran ahead of this thread; released first, a 640x480 frame took 600-680 us from the camera to the
    /// hand-over instead of 180-210, and the inference side waited for it more often.
    /// </summary>
    internal static void HandOver(PreparedFrames prepared, ServingModel serving, Frame frame, int slot)
    {
        try
        {
            serving.Runner.Prepare(frame, slot);
            prepared.Add(new PreparedFrame(serving, slot));
        }
        finally
        {
            frame.Release();
        }
    }

    /// <summary>The inference thread: runs each prepared frame, counts and logs a failure and goes on.</summary>
    private void Infer(PreparedFrames prepared, CancellationToken stopping)
    {
        while (prepared.Take(out var item))
        {
            var inferred = false;
            try
            {
                inferred = InferOne(item, stopping);
            }
            finally
            {
                prepared.Done(inferred);
            }
        }
    }

    private bool InferOne(in PreparedFrame item, CancellationToken stopping)
    {
        var runner = item.Serving.Runner;
        try
        {
            runner.Infer(item.Slot, stopping);
            return true;
        }
        catch (OrtException ex)
        {
            Interlocked.Increment(ref _failed);
            item.Serving.Watch?.Failed(ex.Message);
            Log.InferenceFailed(logger, stream, runner.Package.Name, runner.Package.Version, ex.Message);
            return false;
        }
    }

    /// <summary>Makes an inferred frame's result and publishes what the policy lets through (on whichever thread <see cref="PreparedFrames"/> picks).</summary>
    private void Finish(PreparedFrame item)
    {
        var serving = item.Serving;
        var (runner, writer, watch, _) = serving;
        var result = runner.Finish(item.Slot);
        Interlocked.Increment(ref _inferred);
        watch?.Inferred(runner.Outputs, runner.OutputInfo, result);
        _latencies.Add(result.TotalMs);

        if (!policy.ShouldPublish(result))
        {
            return;
        }

        var seq = sink.NextSeq(stream);
        var payload = writer.Write(seq, result, source.Width, source.Height, serving.Raw ? runner.Outputs : null, serving.Raw ? runner.OutputInfo : null);
        sink.Enqueue(stream, seq, payload.Span);
        Interlocked.Increment(ref _published);
    }
}
