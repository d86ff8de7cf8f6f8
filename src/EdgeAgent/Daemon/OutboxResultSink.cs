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

    public void Enqueue(string stream, long seq, ReadOnlySpan<byte> payload) =>
        outbox.Enqueue(stream, seq, _topics.GetOrAdd(stream, s => topics.Results(device, s)), qos, payload);
}
