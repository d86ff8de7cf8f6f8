using System.Collections.Concurrent;

namespace EdgeAgent.Sources;

/// <summary>
/// Frames of one size, reused: after the first few, reading a frame allocates nothing. <paramref name="returned"/>,
/// if given, is called each time a frame comes back.
/// </summary>
public sealed class FramePool(int frameBytes, Action? returned = null)
{
    private readonly ConcurrentQueue<Frame> _free = new();
    private int _created;

    public int FrameBytes { get; } = frameBytes > 0 ? frameBytes : throw new ArgumentOutOfRangeException(nameof(frameBytes));

    /// <summary>Allocates frames up to <paramref name="count"/> in all now, so that a stream that needs that many allocates none later.</summary>
    public void Reserve(int count)
    {
        while (Created < count)
        {
            Interlocked.Increment(ref _created);
            _free.Enqueue(new Frame(this, FrameBytes));
        }
    }

    /// <summary>How many frames were ever allocated: it stops growing once the pipeline is in steady state.</summary>
    public int Created => Volatile.Read(ref _created);

    public Frame Rent()
    {
        if (_free.TryDequeue(out var frame))
        {
            return frame;
        }

        Interlocked.Increment(ref _created);
        return new Frame(this, FrameBytes);
    }

    internal void Return(Frame frame)
    {
        _free.Enqueue(frame);
        returned?.Invoke();
    }
}
