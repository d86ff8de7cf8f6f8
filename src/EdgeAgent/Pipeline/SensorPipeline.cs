using EdgeAgent.Onnx;
using EdgeAgent.Sensors;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipeline;

/// <summary>
/// One sensor stream: takes every sample from its source's buffer in order, cuts windows (starting afresh after a
/// gap, so that no window joins samples from either side of it), runs the anomaly model on
/// each, keeps the anomaly state with hysteresis (anomaly_started / anomaly_ended on each change), and hands each
/// result the publish mode lets through to the sink with the stream's next seq. A failed inference is counted and
/// logged and the next window goes on. A model swap is taken between two windows by the loop itself, with the new
/// model's normalisation and thresholds, so no window is lost for it and none runs on a half-swapped model.
/// </summary>
public sealed class SensorPipeline(
    string stream,
    SampleBuffer samples,
    WindowAssembler windows,
    WindowServing serving,
    AnomalyHysteresis hysteresis,
    PublishPolicy policy,
    IResultSink sink,
    IAnomalyObserver observer,
    ILogger logger) : IStreamPipeline
{
    private readonly LatencyRecorder _latencies = new();
    private readonly SwapSlot<WindowServing> _swap = new();
    private WindowServing _current = serving;
    private long _taken;
    private long _inferred;
    private long _published;
    private long _failed;
    private DateTimeOffset _anomalyStart;

    public SensorPipeline(string stream, SampleBuffer samples, WindowAssembler windows, WindowRunner runner, AnomalyHysteresis hysteresis, ResultWriter writer, PublishPolicy policy, IResultSink sink, IAnomalyObserver observer, ILogger logger)
        : this(stream, samples, windows, new WindowServing(runner, writer, hysteresis.LeaveThreshold), hysteresis, policy, sink, observer, logger)
    {
    }

    public string Stream => stream;

    /// <summary>The model serving now.</summary>
    public WindowServing Current => Volatile.Read(ref _current);

    public long Inferred => Interlocked.Read(ref _inferred);

    public long Published => Interlocked.Read(ref _published);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Samples taken from the buffer.</summary>
    public long Progress => Interlocked.Read(ref _taken);

    public bool Anomalous => hysteresis.Active;

    public double[] TakeLatencies() => _latencies.Take();

    /// <summary>
    /// Serves <paramref name="next"/> from the next complete window on. Completes with the model it replaced once the
    /// loop has moved on from it (or with <paramref name="next"/> itself if a later swap superseded it first): the
    /// caller releases what it gets back.
    /// </summary>
    public Task<WindowServing> SwapAsync(WindowServing next) => _swap.Offer(next);

    /// <summary>Once <see cref="RunAsync"/> has ended: hands a swap that never reached a window back to its caller.</summary>
    public void CancelPendingSwap() => _swap.Cancel();

    public async Task RunAsync(CancellationToken stopping)
    {
        Log.Started(logger, stream, _current.Runner.Package.Name, _current.Runner.Package.Version);
        var reader = samples.Reader;
        var windowIndex = 0L;
        while (await samples.WaitToReadAsync(windows.SamplesToNextWindow, stopping))
        {
            while (reader.TryRead(out var row))
            {
                if (row.AfterGap)
                {
                    windows.Reset();
                }

                var complete = windows.Add(row.Values, row.Timestamp);
                row.Release();
                Interlocked.Increment(ref _taken);
                if (!complete)
                {
                    continue;
                }

                if (_swap.Take(_current) is { } next)
                {
                    var input = next.Runner.Package.Descriptor.Input;
                    windows.Renormalise(input.Mean, input.Std);
                    hysteresis.Retune(next.Runner.Package.Descriptor.Postprocess.Threshold, next.LeaveThreshold);
                    Volatile.Write(ref _current, next);
                }

                var (runner, writer, _, watch, _) = _current;
                var package = runner.Package;
                InferenceResult result;
                try
                {
                    result = runner.Run(windows, windowIndex++, stopping);
                }
                catch (OrtException ex)
                {
                    Interlocked.Increment(ref _failed);
                    watch?.Failed(ex.Message);
                    Log.InferenceFailed(logger, stream, package.Name, package.Version, ex.Message);
                    continue;
                }

                Interlocked.Increment(ref _inferred);
                watch?.Inferred(runner.Outputs, runner.OutputInfo, result);
                _latencies.Add(result.TotalMs);
                switch (hysteresis.Update(result.Score))
                {
                    case AnomalyTransition.Started:
                        _anomalyStart = result.WindowStart;
                        observer.AnomalyStarted(stream, result.Score, result.Threshold, result.WindowStart);
                        break;
                    case AnomalyTransition.Ended:
                        observer.AnomalyEnded(stream, result.Score, result.WindowEnd - _anomalyStart);
                        break;
                    default:
                        break;
                }

                result.Anomalous = hysteresis.Active;
                if (!policy.ShouldPublish(result))
                {
                    continue;
                }

                var seq = sink.NextSeq(stream);
                var payload = writer.Write(seq, result, 0, 0);
                sink.Enqueue(stream, seq, payload.Span);
                Interlocked.Increment(ref _published);
            }
        }
    }
}
