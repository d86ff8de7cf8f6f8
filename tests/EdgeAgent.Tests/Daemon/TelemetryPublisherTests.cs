using System.Text.Json;
using EdgeAgent.Daemon;
using EdgeAgent.Outbox;
using EdgeAgent.Pipeline;
using EdgeAgent.Sources;
using EdgeAgent.Testing;
using EdgeAgent.Tests.Outbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Tests.Daemon;

public sealed class TelemetryPublisherTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("edge-agent-telemetry-").FullName;

    [Fact]
    public async Task A_sensor_stream_reports_its_lost_and_its_invalid_samples()
    {
        var clock = new ManualTimeProvider();
        var publisher = new FakePublisher();
        await using var outbox = new DurableOutbox(
            new OutboxSettings { Directory = Path.Combine(_root, "outbox"), SequenceFile = Path.Combine(_root, "seq.json") },
            new RecordingOutboxObserver(),
            NullLogger.Instance,
            clock);
        outbox.Open();
        var streams = new[] { new RunningStream("vib0", new CountingSource(Lost: 2, Invalid: 5), new IdlePipeline(), "cpu") };
        using var stopping = new CancellationTokenSource();
        var running = new TelemetryPublisher("pi-01", "edge/pi-01/telemetry", streams, outbox, publisher, clock).RunAsync(stopping.Token);

        clock.Advance(TelemetryPublisher.Interval);
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (publisher.Sent.IsEmpty)
            {
                await Task.Delay(10, limit.Token);
            }
        }

        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.True(publisher.Sent.TryDequeue(out var sent));
        Assert.Equal("edge/pi-01/telemetry", sent.Topic);
        var stream = JsonDocument.Parse(sent.Payload).RootElement.GetProperty("streams").GetProperty("vib0");
        Assert.Equal(2, stream.GetProperty("samples_lost").GetInt64());
        Assert.Equal(5, stream.GetProperty("samples_invalid").GetInt64());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed record CountingSource(long Lost, long Invalid) : IStreamSource
    {
        public SourceState State => SourceState.Running;

        public long ItemsRead => 0;

        public long FramesDropped => 0;

        public long SamplesLost => Lost;

        public long SamplesInvalid => Invalid;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class IdlePipeline : IStreamPipeline
    {
        public string Stream => "vib0";

        public long Inferred => 0;

        public long Published => 0;

        public long Failed => 0;

        public long Progress => 0;

        public double[] TakeLatencies() => [];

        public Task RunAsync(CancellationToken stopping) => Task.CompletedTask;
    }
}
