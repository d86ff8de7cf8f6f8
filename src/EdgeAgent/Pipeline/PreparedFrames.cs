namespace EdgeAgent.Pipeline;

/// <summary>A frame preprocessed into one of its model's input slots, waiting for inference.</summary>
internal readonly record struct PreparedFrame(ServingModel Serving, int Slot, bool Raw);

/// <summary>
/// The hand-over between a stream's preparing thread and its inference thread, in order, with at most
/// <c>capacity</c> frames in flight (prepared, or taken and not yet done): so the preparing side never writes a slot
/// still being inferred, and takes each frame only once there is room for it, the newest the camera has then. Both
/// sides block on one monitor and wake each other directly; nothing is allocated per frame.
/// </summary>
internal sealed class PreparedFrames : IDisposable
{
    private readonly object _gate = new();
    private readonly PreparedFrame[] _ring;
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenRegistration _stop;
    private int _head;
    private int _waiting;
    private int _inFlight;
    private bool _completed;
    private bool _closed;

    public PreparedFrames(int capacity, CancellationToken stopping)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new PreparedFrame[capacity];
        _stopping = stopping;
        _stop = stopping.UnsafeRegister(static state => ((PreparedFrames)state!).Wake(), this);
    }

    /// <summary>Preparing side: blocks until fewer than the capacity are in flight; false once the inference side has closed.</summary>
    /// <exception cref="OperationCanceledException">The stop token fired.</exception>
    public bool WaitForRoom() => WaitUntil(static frames => frames._inFlight < frames._ring.Length);

    /// <summary>Preparing side: blocks until every frame handed over is done (a swap waits so); false once the inference side has closed.</summary>
    /// <exception cref="OperationCanceledException">The stop token fired.</exception>
    public bool WaitUntilIdle() => WaitUntil(static frames => frames._inFlight == 0);

    /// <summary>Preparing side: hands a prepared frame over; call only after <see cref="WaitForRoom"/> said there is room.</summary>
    public void Add(in PreparedFrame frame)
    {
        lock (_gate)
        {
            if (_inFlight >= _ring.Length)
            {
                throw new InvalidOperationException("no room for another prepared frame");
            }

            _ring[(_head + _waiting) % _ring.Length] = frame;
            _waiting++;
            _inFlight++;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Preparing side: no more frames will come; the inference side takes what is left, then ends.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Inference side: blocks for the next prepared frame; false once completed and drained.</summary>
    /// <exception cref="OperationCanceledException">The stop token fired.</exception>
    public bool Take(out PreparedFrame frame)
    {
        lock (_gate)
        {
            while (_waiting == 0)
            {
                _stopping.ThrowIfCancellationRequested();
                if (_completed)
                {
                    frame = default;
                    return false;
                }

                Monitor.Wait(_gate);
            }

            frame = _ring[_head];
            _ring[_head] = default;
            _head = (_head + 1) % _ring.Length;
            _waiting--;
            return true;
        }
    }

    /// <summary>Inference side: the frame last taken is done with, its slot and its model free again.</summary>
    public void Done()
    {
        lock (_gate)
        {
            _inFlight--;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Inference side: it takes no more frames (it ended), so the preparing side stops waiting for room.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }
    }

    public void Dispose() => _stop.Dispose();

    private bool WaitUntil(Func<PreparedFrames, bool> ready)
    {
        lock (_gate)
        {
            while (true)
            {
                _stopping.ThrowIfCancellationRequested();
                if (_closed)
                {
                    return false;
                }

                if (ready(this))
                {
                    return true;
                }

                Monitor.Wait(_gate);
            }
        }
    }

    private void Wake()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }
}
