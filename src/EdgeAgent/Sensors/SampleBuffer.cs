using System.Threading.Channels;

namespace EdgeAgent.Sensors;

/// <summary>
/// The bounded queue between a sensor source and its pipeline. Samples wait here while inference is slower than the
/// sensor; only when it is full is a new sample lost, and counted. The order of the samples kept never changes.
/// The pipeline waits for as many samples as its next window needs (at most <see cref="Batch"/>), so it is woken
/// once per hop rather than once per sample.
/// </summary>
public sealed class SampleBuffer
{
    private readonly Channel<SampleRow> _rows;
    private long _lost;
    private long _written;
    private volatile bool _completed;
    private TaskCompletionSource<bool>? _waiter;
    private int _wanted;

    /// <param name="batch">The most samples a reader waits for before it is woken; it is kept to half the capacity, so no sample is lost while the reader sleeps.</param>
    public SampleBuffer(int channels, int capacity, int batch = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        Capacity = capacity;
        Batch = Math.Min(batch, Math.Max(1, capacity / 2));
        Pool = new SampleRowPool(channels);
        _rows = Channel.CreateBounded<SampleRow>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = true });
    }

    public int Capacity { get; }

    /// <summary>The most samples <see cref="WaitToReadAsync(int, CancellationToken)"/> waits for.</summary>
    public int Batch { get; }

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
            WakeReader();
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

        WakeReader();
    }

    /// <summary>
    /// Waits until <paramref name="wanted"/> samples are queued, or <see cref="Batch"/> if that is fewer, or the
    /// buffer is completed; false once it is completed and empty. One reader at a time.
    /// </summary>
    public async ValueTask<bool> WaitToReadAsync(int wanted, CancellationToken cancellationToken)
    {
        wanted = Math.Clamp(wanted, 1, Batch);
        if (_completed)
        {
            return _rows.Reader.Count > 0;
        }

        if (_rows.Reader.Count >= wanted)
        {
            return true;
        }

        var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _wanted, wanted);
        Interlocked.Exchange(ref _waiter, waiter);

        // A row written between the count above and the waiter's publication saw no waiter: look again.
        WakeReader();
        try
        {
            return await waiter.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.CompareExchange(ref _waiter, null, waiter);
        }
    }

    /// <summary>
    /// Ends the stream: rows offered from now on are refused, while those queued are still read (the reader is woken
    /// for them however few they are), and then the reader learns the end.
    /// </summary>
    public void Complete()
    {
        _completed = true;
        _rows.Writer.TryComplete();
        WakeReader();
    }

    private void WakeReader()
    {
        var waiter = Volatile.Read(ref _waiter);
        if (waiter is null)
        {
            return;
        }

        var completed = _completed;
        if ((completed || _rows.Reader.Count >= Volatile.Read(ref _wanted)) && Interlocked.CompareExchange(ref _waiter, null, waiter) == waiter)
        {
            waiter.TrySetResult(!completed || _rows.Reader.Count > 0);
        }
    }
}
