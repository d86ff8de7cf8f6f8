using System.Collections.Concurrent;
using EdgeAgent.Outbox;
using EdgeAgent.Pipeline;
using EdgeAgent.Protocol;

namespace EdgeAgent.Daemon;

/// <summary>Results go to <c>&lt;prefix&gt;/&lt;device&gt;/results/&lt;stream&gt;</c> through the outbox, which assigns each stream's seq.</summary>
internal sealed class OutboxResultSink(DurableOutbox outbox, Topics topics, string device, int qos) : IResultSink
{
    private readonly ConcurrentDictionary<string, string> _topics = new(StringComparer.Ordinal);

    public long NextSeq(string stream) => outbox.NextSeq(stream);

    // A static factory with its argument: a capturing lambda would be a new delegate on every result.
    public void Enqueue(string stream, long seq, ReadOnlySpan<byte> payload) =>
        outbox.Enqueue(stream, seq, _topics.GetOrAdd(stream, static (s, names) => names.Topics.Results(names.Device, s), (Topics: topics, Device: device)), qos, payload);
}
