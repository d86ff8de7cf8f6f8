using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Pipeline;
using EdgeAgent.Sensors;
using EdgeAgent.Sensors.Sim;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Benchmarks.Sensors;

/// <summary>
/// The sim source at 100 Hz, not in real time, into a sensor pipeline with a demo anomaly model, as the daemon wires
/// it. Its clock is the start time, so sample n is stamped start + n / 100 s.
/// </summary>
internal sealed class SimStream : IDisposable
{
    private readonly SensorSource _source;
    private readonly WindowRunner _runner;
    private readonly ResultWriter _writer;
    private readonly InferenceSession _session;
    private readonly Task _running;

    private SimStream(SensorSource source, WindowRunner runner, ResultWriter writer, InferenceSession session, SensorPipeline pipeline, AnomalyStarts anomalies)
    {
        (_source, _runner, _writer, _session, Pipeline, Anomalies) = (source, runner, writer, session, pipeline, anomalies);
        _running = Task.Run(() => pipeline.RunAsync(CancellationToken.None));
    }

    public SensorPipeline Pipeline { get; }

    public AnomalyStarts Anomalies { get; }

    public static SimStream Start(OrtEnvironment environment, string models, string model, string publish, SimSettings settings)
    {
        var package = ModelPackage.FindHighest(models, model);
        var session = environment.CreateSession(package.ModelPath, new InferenceSessionOptions { IntraOpThreads = 1 });
        var runner = new WindowRunner(package, session, 1, 64);
        var input = package.Descriptor.Input;
        var threshold = package.Descriptor.Postprocess.Threshold;
        var clock = new FrozenClock();
        var feed = new PolledFeed(new SimReader(new SimSignal(settings, 100, 1), ["vibration"]), 100, false, clock);
        var source = new SensorSource("vib0", feed, new SensorSettings { Realtime = false, BatchSamples = SensorFeeds.BatchFor(100) }, new NoSensorEvents(), NullLogger.Instance, clock);
        var writer = new ResultWriter("bench", "vib0", package);
        var anomalies = new AnomalyStarts(clock.GetUtcNow());
        var pipeline = new SensorPipeline(
            "vib0", source.Buffer, new WindowAssembler(1, 64, 16, input.Mean, input.Std), runner,
            new AnomalyHysteresis(threshold, threshold * 0.7f, 2, 3), writer, new PublishPolicy(publish, 0), new CountingSink(), anomalies, NullLogger.Instance);
        source.Start();
        return new SimStream(source, runner, writer, session, pipeline, anomalies);
    }

    public void Dispose()
    {
        _source.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _running.GetAwaiter().GetResult();
        _runner.Dispose();
        _writer.Dispose();
        _session.Dispose();
    }

    /// <summary>The sample index of each started anomaly's first window.</summary>
    internal sealed class AnomalyStarts(DateTimeOffset origin) : IAnomalyObserver
    {
        private readonly List<long> _starts = [];

        public IReadOnlyList<long> Starts
        {
            get
            {
                lock (_starts)
                {
                    return [.. _starts];
                }
            }
        }

        public void AnomalyStarted(string stream, float score, float threshold, DateTimeOffset windowStart)
        {
            lock (_starts)
            {
                _starts.Add((long)Math.Round((windowStart - origin).TotalSeconds * 100));
            }
        }

        public void AnomalyEnded(string stream, float score, TimeSpan duration)
        {
        }
    }

    /// <summary>A clock that stays at its start: the unpaced sim stamps samples from it.</summary>
    private sealed class FrozenClock : TimeProvider
    {
        private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;
    }

    private sealed class CountingSink : IResultSink
    {
        private long _seq;

        public long NextSeq(string stream) => ++_seq;

        public void Enqueue(string stream, long seq, ReadOnlySpan<byte> payload)
        {
        }
    }

    private sealed class NoSensorEvents : ISensorObserver
    {
        public void SourceLost(string stream, string reason)
        {
        }

        public void SourceRestored(string stream, TimeSpan downtime)
        {
        }

        public void SamplesLost(string stream, long lostSoFar)
        {
        }
    }
}
