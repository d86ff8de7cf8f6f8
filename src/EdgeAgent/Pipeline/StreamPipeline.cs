using EdgeAgent.Onnx;
using EdgeAgent.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipeline;

/// <summary>
/// One stream: takes the newest frame from its source, throttles to MaxFps, runs the model, and hands each result
/// the publish mode lets through to the sink with the stream's next seq. A failed inference is counted and logged
/// and the next frame goes on.
/// </summary>
public sealed class StreamPipeline(
    string stream,
    CameraSource source,
    ModelRunner runner,
    ResultWriter writer,
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

    public string Stream => stream;

    public long Inferred => Interlocked.Read(ref _inferred);

    public long Published => Interlocked.Read(ref _published);

    public long Failed => Interlocked.Read(ref _failed);

    public long Throttled => Interlocked.Read(ref _throttled);

    public long Progress => Inferred + Throttled + Failed;

    public double[] TakeLatencies() => _latencies.Take();

    /// <summary>Runs until <paramref name="stopping"/> fires or the source's channel ends.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var package = runner.Package;
        Log.Started(logger, stream, package.Name, package.Version);
        var frames = source.Frames;
        var geometry = (Width: 0, Height: 0);
        while (await frames.WaitToReadAsync(stopping))
        {
            while (frames.TryRead(out var frame))
            {
                if (!throttle.Admit())
                {
                    Interlocked.Increment(ref _throttled);
                    frame.Release();
                    continue;
                }

                InferenceResult result;
                try
                {
                    result = runner.Run(frame, stopping);
                }
                catch (OrtException ex)
                {
                    Interlocked.Increment(ref _failed);
                    Log.InferenceFailed(logger, stream, package.Name, package.Version, ex.Message);
                    continue;
                }
                finally
                {
                    frame.Release();
                }

                Interlocked.Increment(ref _inferred);
                _latencies.Add(result.TotalMs);

                if (!policy.ShouldPublish(result))
                {
                    continue;
                }

                geometry = geometry.Width == 0 ? (source.Width, source.Height) : geometry;
                var seq = sink.NextSeq(stream);
                var raw = package.Descriptor.Task == "raw";
                var payload = writer.Write(seq, result, geometry.Width, geometry.Height, raw ? runner.Outputs : null, raw ? runner.OutputInfo : null);
                sink.Enqueue(stream, seq, payload.Span);
                Interlocked.Increment(ref _published);
            }
        }
    }
}
