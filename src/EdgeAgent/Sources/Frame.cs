namespace EdgeAgent.Sources;

/// <summary>
/// One raw frame in a pooled, pinned buffer. Whoever holds it last calls <see cref="Release"/> to give the buffer
/// back; the frame object itself is reused.
/// </summary>
public sealed class Frame
{
    private readonly FramePool _pool;

    internal Frame(FramePool pool, int bytes)
    {
        _pool = pool;
        Buffer = GC.AllocateUninitializedArray<byte>(bytes, pinned: true);
    }

    /// <summary>The frame's bytes; pinned, so it can back a tensor without a copy.</summary>
    public byte[] Buffer { get; }

    /// <summary>The source's count of frames read, from 0, across restarts.</summary>
    public long Index { get; internal set; }

    /// <summary>When the frame's last byte was read.</summary>
    public DateTimeOffset Timestamp { get; internal set; }

    public void Release() => _pool.Return(this);
}
