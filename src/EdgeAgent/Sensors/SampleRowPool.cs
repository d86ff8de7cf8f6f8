using System.Collections.Concurrent;

namespace EdgeAgent.Sensors;

/// <summary>Sample rows of one width, reused: once the buffer has filled, taking a sample allocates nothing.</summary>
public sealed class SampleRowPool(int channels)
{
    private readonly ConcurrentQueue<SampleRow> _free = new();
    private int _created;

    public int Channels { get; } = channels > 0 ? channels : throw new ArgumentOutOfRangeException(nameof(channels));

    /// <summary>How many rows were ever allocated: at most the buffer's capacity plus the few in flight.</summary>
    public int Created => Volatile.Read(ref _created);

    public SampleRow Rent()
    {
        if (_free.TryDequeue(out var row))
        {
            return row;
        }

        Interlocked.Increment(ref _created);
        return new SampleRow(this, Channels);
    }

    internal void Return(SampleRow row) => _free.Enqueue(row);
}
