using System.Collections.Concurrent;
using System.Text.Json;
using EdgeAgent.Models;
using EdgeAgent.Pipeline;
using EdgeAgent.Sensors;
using EdgeAgent.Sensors.Sim;
using EdgeAgent.Testing;
using EdgeAgent.Tests.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Tests.Pipeline;

/// <summary>The simulated vibration sensor through windows, the bundled demo anomaly models and the result writer.</summary>
[Collection(OrtEnvironmentGroup.Name)]
public sealed class SensorPipelineTests(OrtEnvironmentFixture ort)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("demo-anomaly")]
    [InlineData("demo-anomaly-fp32")]
    public async Task Results_carry_the_contract_payload_of_an_anomaly_window(string model)
    {
        var sink = new MemorySink();
        var observer = new AnomalyLog();
        await using var running = RunningSim.Start(ort, model, "all", sink, observer, new SimSettings { AnomalyEverySeconds = 0 });

        var first = sink.Next(s_wait);
        var second = sink.Next(s_wait);

        Assert.Equal(
            ["device", "stream", "seq", "ts", "model", "task", "score", "threshold", "anomaly", "timing_ms", "window"],
            first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("anomaly", first.GetProperty("task").GetString());
        Assert.Equal(model, first.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(0.068, first.GetProperty("threshold").GetDouble(), 4);
        Assert.InRange(first.GetProperty("score").GetDouble(), 0, 0.068);
        Assert.False(first.GetProperty("anomaly").GetBoolean());
        var window = first.GetProperty("window");
        Assert.Equal(["start_ts", "end_ts", "samples"], window.EnumerateObject().Select(p => p.Name));
        Assert.Equal(64, window.GetProperty("samples").GetInt32());
        var start = DateTimeOffset.Parse(window.GetProperty("start_ts").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var end = DateTimeOffset.Parse(window.GetProperty("end_ts").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromMilliseconds(630), end - start);
        Assert.Equal(window.GetProperty("end_ts").GetString(), first.GetProperty("ts").GetString());
        var next = DateTimeOffset.Parse(second.GetProperty("window").GetProperty("start_ts").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromMilliseconds(160), next - start);
        Assert.Equal(2, second.GetProperty("seq").GetInt64());
    }

    [Theory]
    [InlineData("demo-anomaly")]
    [InlineData("demo-anomaly-fp32")]
    public async Task The_demo_model_flags_the_injected_anomalies_with_precision_and_recall_of_at_least_0_9(string model)
    {
        var settings = new SimSettings();
        var observer = new AnomalyLog();
        var sink = new MemorySink();
        await using (var running = RunningSim.Start(ort, model, "none", sink, observer, settings))
        {
            using var limit = new CancellationTokenSource(s_wait);
            while (observer.Started.Count < 40)
            {
                await Task.Delay(20, limit.Token);
            }
        }

        var starts = observer.Started.ToArray();
        var windowStarts = starts.Select(s => (long)Math.Round((s - RunningSim.Origin).TotalSeconds * 100)).ToArray();
        var (precision, recall) = SimScoring.Score(new SimSignal(settings, 100, 1), windowStarts, window: 64);

        Assert.True(precision >= 0.9, $"precision {precision:F3} for {starts.Length} anomalies started");
        Assert.True(recall >= 0.9, $"recall {recall:F3}");
        Assert.Equal(observer.Started.Count - (observer.Active ? 1 : 0), observer.Ended);
    }

    [Fact]
    public async Task No_window_spans_a_gap_the_next_one_is_filled_afresh_from_the_sample_after_it()
    {
        var package = ModelPackage.FindHighest(Path.Combine(TestPaths.RepositoryRoot, "models"), "demo-anomaly");
        using var session = ort.Environment.CreateSession(package.ModelPath);
        using var runner = new WindowRunner(package, session, 1, 64);
        using var writer = new ResultWriter("pi-01", "vib0", package);
        var input = package.Descriptor.Input;
        var threshold = package.Descriptor.Postprocess.Threshold;
        var buffer = new SampleBuffer(1, 1024);
        var sink = new MemorySink();
        var pipeline = new SensorPipeline(
            "vib0", buffer, new WindowAssembler(1, 64, 16, input.Mean, input.Std), runner, new AnomalyHysteresis(threshold, threshold * 0.7f, 2, 3),
            writer, new PublishPolicy("all", 0), sink, new AnomalyLog(), NullLogger.Instance);
        var running = pipeline.RunAsync(CancellationToken.None);

        // Samples 0 to 69, then 70 to 79 are lost, then 80 to 143: without the gap a window would end at sample 85.
        var written = 0;
        foreach (var index in Enumerable.Range(0, 70).Concat(Enumerable.Range(80, 64)))
        {
            var row = buffer.Pool.Rent();
            (row.Index, row.Values[0], row.Timestamp, row.AfterGap) = (index, 0, RunningSim.Origin.AddMilliseconds(10 * index), index == 80);
            Assert.True(buffer.Write(row));
            written++;
        }

        var first = sink.Next(s_wait).GetProperty("window");
        var second = sink.Next(s_wait).GetProperty("window");
        using (var limit = new CancellationTokenSource(s_wait))
        {
            while (pipeline.Progress < written)
            {
                await Task.Delay(10, limit.Token);
            }
        }

        buffer.Complete();
        await running.WaitAsync(s_wait);
        Assert.Equal(2, pipeline.Inferred);
        Assert.Equal(SampleTime(0), Time(first, "start_ts"));
        Assert.Equal(SampleTime(80), Time(second, "start_ts"));
        Assert.Equal(SampleTime(143), Time(second, "end_ts"));
        Assert.Equal(64, second.GetProperty("samples").GetInt32());

        static DateTimeOffset SampleTime(int index) => RunningSim.Origin.AddMilliseconds(10 * index);
        static DateTimeOffset Time(JsonElement window, string name) => DateTimeOffset.Parse(window.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Records the anomaly events; the start of each is its first window's start time.</summary>
    private sealed class AnomalyLog : IAnomalyObserver
    {
        public ConcurrentQueue<DateTimeOffset> Started { get; } = new();

        public int Ended { get; private set; }

        public bool Active { get; private set; }

        public void AnomalyStarted(string stream, float score, float threshold, DateTimeOffset windowStart)
        {
            Active = true;
            Started.Enqueue(windowStart);
        }

        public void AnomalyEnded(string stream, float score, TimeSpan duration)
        {
            Active = false;
            Ended++;
        }
    }

    /// <summary>
    /// The sim source, not in real time (nothing waits, no sample is lost), into a sensor pipeline. Its clock never
    /// moves, so sample n is stamped exactly <see cref="Origin"/> + n / 100 s.
    /// </summary>
    private sealed class RunningSim : IAsyncDisposable
    {
        private readonly SensorSource _source;
        private readonly WindowRunner _runner;
        private readonly ResultWriter _writer;
        private readonly Onnx.InferenceSession _session;
        private readonly Task _pipeline;

        private RunningSim(SensorSource source, WindowRunner runner, ResultWriter writer, Onnx.InferenceSession session, Task pipeline)
        {
            (_source, _runner, _writer, _session, _pipeline) = (source, runner, writer, session, pipeline);
        }

        public static DateTimeOffset Origin { get; } = new ManualTimeProvider().GetUtcNow();

        public static RunningSim Start(OrtEnvironmentFixture ort, string model, string publish, MemorySink sink, IAnomalyObserver observer, SimSettings settings)
        {
            var package = ModelPackage.FindHighest(Path.Combine(TestPaths.RepositoryRoot, "models"), model);
            var session = ort.Environment.CreateSession(package.ModelPath);
            var runner = new WindowRunner(package, session, 1, 64);
            var input = package.Descriptor.Input;
            var windows = new WindowAssembler(1, 64, 16, input.Mean, input.Std);
            var threshold = package.Descriptor.Postprocess.Threshold;
            var hysteresis = new AnomalyHysteresis(threshold, threshold * 0.7f, 2, 3);
            var clock = new ManualTimeProvider();
            var feed = new PolledFeed(new SimReader(new SimSignal(settings, 100, 1), ["vibration"]), 100, false, clock);
            var source = new SensorSource("vib0", feed, new SensorSettings { Realtime = false, BufferSamples = 256 }, new RecordingObserver(), NullLogger.Instance, clock);
            var writer = new ResultWriter("pi-01", "vib0", package);
            var pipeline = new SensorPipeline("vib0", source.Buffer, windows, runner, hysteresis, writer, new PublishPolicy(publish, 0), sink, observer, NullLogger.Instance);
            source.Start();
            return new RunningSim(source, runner, writer, session, Task.Run(() => pipeline.RunAsync(CancellationToken.None)));
        }

        public async ValueTask DisposeAsync()
        {
            await _source.DisposeAsync();
            await _pipeline;
            _runner.Dispose();
            _writer.Dispose();
            _session.Dispose();
        }
    }
}
