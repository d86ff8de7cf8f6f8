using EdgeAgent.Pipeline;

namespace EdgeAgent.Benchmarks.Pipeline;

/// <summary>
/// Takes results as the outbox would (seq, then the payload bytes copied once) without touching the disk. Paused, it
/// holds the pipeline's inference thread at its next result, which stops the whole stream behind it.
/// </summary>
internal sealed class CountingSink : IResultSink, IDisposable
{
    private readonly byte[] _last = new byte[64 * 1024];
    private readonly ManualResetEventSlim _open = new(initialState: true);
    private long _seq;

    public long Count => Interlocked.Read(ref _seq);

    public long NextSeq(string stream) => Interlocked.Increment(ref _seq);

    public void Enqueue(string stream, long seq, ReadOnlySpan<byte> payload)
    {
        _open.Wait();
        payload.CopyTo(_last);
    }

    public void Pause() => _open.Reset();

    public void Resume() => _open.Set();

    public void Dispose() => _open.Dispose();
}
