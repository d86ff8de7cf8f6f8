namespace EdgeAgent.Pipeline;

/// <summary>Where a stream's results go: the on-disk outbox in the daemon, which assigns each stream's seq.</summary>
public interface IResultSink
{
    /// <summary>The stream's next sequence number; it rises by one per call and is never reused.</summary>
    long NextSeq(string stream);

    /// <summary>Queues one result payload (UTF-8 JSON) for <c>results/&lt;stream&gt;</c>.</summary>
    void Enqueue(string stream, long seq, ReadOnlySpan<byte> payload);
}
