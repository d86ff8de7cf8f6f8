using System.Threading.Channels;

namespace EdgeAgent.Sensors;

/// <summary>
/// The bounded queue between a sensor source and its pipeline. Samples wait here while inference is slower than the
/// sensor; only when it is full is a new sample lost, and counted. The order of the samples kept never changes.
/// </summary>
public sealed class SampleBuffer
{
    private readonly Channel<SampleRow> _rows;
    private long _lost;
    private long _written;
    private volatile bool _completed;

    public SampleBuffer(int channels, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        Pool = new SampleRowPool(channels);
        _rows = Channel.CreateBounded<SampleRow>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = true });
    }

    public int Capacity { get; }

    public SampleRowPool Pool { get; }

    /// <summary>The reader releases each row it takes.</summary>
    public ChannelReader<SampleRow> Reader => _rows.Reader;

    /// <summary>Samples that arrived while the buffer was full.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Samples offered, kept or lost.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Queues a rented row (it belongs to the buffer from here on); false when the buffer was full and it was lost.</summary>
    public bool Write(SampleRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Interlocked.Increment(ref _written);
        if (_rows.Writer.TryWrite(row))
        {
            return true;
        }

        row.Release();
        if (!_completed)
        {
            Interlocked.Increment(ref _lost);
        }

        return false;
    }

    /// <summary>Queues a rented row, waiting for room (feeds that can be paused: a replay or simulation run faster than real time).</summary>
    public async ValueTask WriteWaitingAsync(SampleRow row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        Interlocked.Increment(ref _written);
        try
        {
            await _rows.Writer.WriteAsync(row, cancellationToken);
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
            row.Release();
            throw;
        }
    }

    /// <summary>Ends the stream and releases what is still queued.</summary>
    public void Complete()
    {
        _completed = true;
        _rows.Writer.TryComplete();
        while (_rows.Reader.TryRead(out var row))
        {
            row.Release();
        }
    }
}
