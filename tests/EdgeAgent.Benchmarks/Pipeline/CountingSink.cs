using EdgeAgent.Pipeline;

namespace EdgeAgent.Benchmarks.Pipeline;

/// <summary>Takes results as the outbox would (seq, then the payload bytes copied once) without touching the disk.</summary>
internal sealed class CountingSink : IResultSink
{
    private readonly byte[] _last = new byte[64 * 1024];
    private long _seq;

    public long Count => Interlocked.Read(ref _seq);

    public long NextSeq(string stream) => Interlocked.Increment(ref _seq);

    public void Enqueue(string stream, long seq, ReadOnlySpan<byte> payload) => payload.CopyTo(_last);
}
