using System.Collections.Concurrent;
using System.Text;
using EdgeAgent.Mqtt;
using EdgeAgent.Outbox;

namespace EdgeAgent.Tests.Outbox;

/// <summary>Acknowledges at once and keeps what it was sent; can refuse topics.</summary>
internal sealed class FakePublisher(Func<string, bool>? refuse = null) : IMqttPublisher
{
    public ConcurrentQueue<(string Topic, string Payload)> Sent { get; } = new();

    public bool IsConnected => true;

    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain = false, CancellationToken cancellationToken = default)
    {
        if (refuse?.Invoke(topic) == true)
        {
            return ValueTask.FromException(new InvalidOperationException("refused by the broker"));
        }

        Sent.Enqueue((topic, Encoding.UTF8.GetString(payload.Span)));
        return ValueTask.CompletedTask;
    }
}

/// <summary>Records what the outbox reported.</summary>
internal sealed class RecordingOutboxObserver : IOutboxObserver
{
    public ConcurrentQueue<string> Events { get; } = new();

    public void RecordsDropped(long records, string reason) => Events.Enqueue($"outbox_full {records}: {reason}");

    public void CorruptionFound(string segment, long bytes) => Events.Enqueue($"outbox_corrupt {bytes}");

    public void DiskFull(string reason) => Events.Enqueue($"disk_full: {reason}");
}
