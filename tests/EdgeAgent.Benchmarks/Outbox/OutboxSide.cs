using System.Diagnostics;
using EdgeAgent.Daemon;
using EdgeAgent.Mqtt;
using EdgeAgent.Outbox;
using EdgeAgent.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Benchmarks.Outbox;

/// <summary>
/// Ours, wired as AgentService wires it: a stream's results go through the sink into the on-disk outbox (fsync per
/// batch, the daemon's settings), whose publishing loop sends them at QoS 1 through our client.
/// </summary>
internal sealed class OutboxSide : IAsyncDisposable
{
    public const string Stream = "cam0";

    private readonly DurableOutbox _outbox;
    private readonly MqttClient _client;
    private readonly OutboxResultSink _sink;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _publishing;

    public OutboxSide(string stateDirectory, int port, Topics topics, string device)
    {
        _outbox = new DurableOutbox(
            new OutboxSettings { Directory = Path.Combine(stateDirectory, "outbox"), SequenceFile = Path.Combine(stateDirectory, "seq.json") },
            new LossObserver(),
            NullLogger.Instance,
            TimeProvider.System);
        _outbox.Open();
        _client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = port, ClientId = $"edge-agent-{device}" });
        _client.Start();
        _sink = new OutboxResultSink(_outbox, topics, device, qos: 1);
        _publishing = _outbox.PublishAsync(_client, _stop.Token);
    }

    public void WaitUntilConnected(TimeSpan timeout) => _client.WaitUntilConnectedAsync().Wait(timeout);

    /// <summary>Queues <paramref name="count"/> results, as fast as a pipeline could, each enqueue's duration into <paramref name="ticks"/>.</summary>
    public void Enqueue(ReadOnlySpan<byte> payload, int count, Span<long> ticks)
    {
        for (var i = 0; i < count; i++)
        {
            var seq = _sink.NextSeq(Stream);
            var started = Stopwatch.GetTimestamp();
            _sink.Enqueue(Stream, seq, payload);
            ticks[i] = Stopwatch.GetTimestamp() - started;
        }
    }

    /// <summary>Waits until the broker acknowledged everything queued, so the next block starts from an empty outbox.</summary>
    public void WaitUntilDrained(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (_outbox.Depth > 0)
        {
            if (_publishing.IsCompleted || Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"{_outbox.Depth} record(s) not acknowledged within {timeout}; publishing {_publishing.Status}, client {_client.State}: {_client.LastError?.Message}", _publishing.Exception);
            }

            Thread.Sleep(1);
        }

        if (_outbox.Dropped + _outbox.WriteFailures + _outbox.Refused > 0)
        {
            throw new InvalidOperationException($"the outbox lost records: {_outbox.Dropped} dropped, {_outbox.WriteFailures} not written, {_outbox.Refused} refused");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _publishing;
        }
        catch (OperationCanceledException)
        {
        }

        await _client.DisposeAsync();
        await _outbox.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>Nothing may be lost while measuring: any outbox event stops the benchmark with its reason.</summary>
    private sealed class LossObserver : IOutboxObserver
    {
        public void RecordsDropped(long records, string reason) => throw new InvalidOperationException($"outbox_full during the benchmark: {records} ({reason})");

        public void CorruptionFound(string segment, long bytes) => throw new InvalidOperationException($"outbox_corrupt during the benchmark: {segment}, {bytes} bytes");

        public void DiskFull(string reason) => throw new InvalidOperationException($"disk_full during the benchmark: {reason}");
    }
}
