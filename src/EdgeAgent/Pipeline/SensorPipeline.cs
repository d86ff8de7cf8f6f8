using EdgeAgent.Onnx;
using EdgeAgent.Sensors;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipeline;

/// <summary>
/// One sensor stream: takes every sample from its source's buffer in order, cuts windows (starting afresh after a
/// gap, so that no window joins samples from either side of it), runs the anomaly model on
/// each, keeps the anomaly state with hysteresis (anomaly_started / anomaly_ended on each change), and hands each
/// result the publish mode lets through to the sink with the stream's next seq. A failed inference is counted and
/// logged and the next window goes on.
/// </summary>
public sealed class SensorPipeline(
    string stream,
    SampleBuffer samples,
    WindowAssembler windows,
    WindowRunner runner,
    AnomalyHysteresis hysteresis,
    ResultWriter writer,
    PublishPolicy policy,
    IResultSink sink,
    IAnomalyObserver observer,
    ILogger logger) : IStreamPipeline
{
    private readonly LatencyRecorder _latencies = new();
    private long _taken;
    private long _inferred;
    private long _published;
    private long _failed;
    private DateTimeOffset _anomalyStart;

    public string Stream => stream;

    public long Inferred => Interlocked.Read(ref _inferred);

    public long Published => Interlocked.Read(ref _published);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Samples taken from the buffer.</summary>
    public long Progress => Interlocked.Read(ref _taken);

    public bool Anomalous => hysteresis.Active;

    public double[] TakeLatencies() => _latencies.Take();

    public async Task RunAsync(CancellationToken stopping)
    {
        var package = runner.Package;
        Log.Started(logger, stream, package.Name, package.Version);
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

                InferenceResult result;
                try
                {
                    result = runner.Run(windows, windowIndex++, stopping);
                }
                catch (OrtException ex)
                {
                    Interlocked.Increment(ref _failed);
                    Log.InferenceFailed(logger, stream, package.Name, package.Version, ex.Message);
                    continue;
                }

                Interlocked.Increment(ref _inferred);
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
