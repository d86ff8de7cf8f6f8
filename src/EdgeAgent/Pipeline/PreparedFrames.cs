using System.Diagnostics;
using EdgeAgent.Interop;

namespace EdgeAgent.Pipeline;

/// <summary>A frame preprocessed into one of its model's input slots, waiting for inference.</summary>
internal readonly record struct PreparedFrame(ServingModel Serving, int Slot);

/// <summary>
/// The hand-over between a stream's preparing thread and its inference thread, in order, with at most
/// <c>capacity</c> frames in flight (prepared, inferred or not yet finished): so the preparing side never writes a slot
/// still in use, and takes each frame only once there is room for it, the newest the camera has then. Both sides block
/// on one monitor and wake each other directly; nothing is allocated per frame.
/// While the inference side still has a prepared frame queued behind the one it runs, the preparing side naps until that
/// run should be over instead of asking to be woken: waking a thread asleep on another CPU cost the waker 17 to 30 us on
/// a virtual machine here (1 % of a 2.5 ms inference, on the thread that sets the pace), while the nap costs only the
/// preparing side's own CPU a timer. The frame queued behind gives the nap a whole run of slack.
/// Finishing an inferred frame (postprocessing, the result's payload, publishing) is left, in that case too, to the
/// preparing side, which wants that very slot next, so that the inference side goes straight on to the queued frame
/// (finishing on the inference side cost it 1-3 % of its frames in `bench pipeline` here); otherwise the inference
/// side finishes its frame itself, at once.
/// One side finishes at a time, oldest first, so results keep their order.
/// </summary>
internal sealed class PreparedFrames : IDisposable
{
    private readonly object _gate = new();
    private readonly int _capacity;
    // Prepared and not taken; inferred and not yet finished: each in order, each at most the capacity.
    private readonly FrameQueue _waiting;
    private readonly FrameQueue _inferred;
    private readonly Action<PreparedFrame> _finish;
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenRegistration _stop;
    // A nap never lasts longer, so a stop or a close is seen soon; an inference longer than this pays for a wake-up.
    private static readonly long MaxNap = Stopwatch.Frequency / 100;
    private int _inFlight;
    private PreparedFrame _taken;
    private bool _running;
    private bool _finishing;
    private bool _completed;
    private bool _closed;
    private bool _preparerBlocked;
    private long _takenAt;
    private long _lastRun;
    private int _wakes;

    /// <param name="capacity">Frames in flight at most: the model's input slots.</param>
    /// <param name="finish">Makes an inferred frame's result; called on either side, one frame at a time, in order.</param>
    /// <param name="stopping">Ends every wait.</param>
    public PreparedFrames(int capacity, Action<PreparedFrame> finish, CancellationToken stopping)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _waiting = new FrameQueue(capacity);
        _inferred = new FrameQueue(capacity);
        _finish = finish;
        _stopping = stopping;
        _stop = stopping.UnsafeRegister(static state => ((PreparedFrames)state!).Wake(), this);
    }

    /// <summary>How many times the preparing side had to be woken (each wait for room or for idle that blocked).</summary>
    public int Wakes => Volatile.Read(ref _wakes);

    /// <summary>Prepared frames handed over and not yet taken.</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>
    /// Preparing side: finishes the inferred frames left to it and blocks until fewer than the capacity are in flight;
    /// false once the inference side has closed. Naps rather than blocks while a prepared frame waits behind the one
    /// being inferred.
    /// </summary>
    /// <exception cref="OperationCanceledException">The stop token fired.</exception>
    public bool WaitForRoom() => WaitUntil(static frames => frames._inFlight < frames._capacity, mayNap: true);

    /// <summary>Preparing side: blocks until every frame handed over is finished (a swap waits so); false once the inference side has closed.</summary>
    /// <exception cref="OperationCanceledException">The stop token fired.</exception>
    public bool WaitUntilIdle() => WaitUntil(static frames => frames._inFlight == 0, mayNap: false);

    /// <summary>Preparing side: hands a prepared frame over; call only after <see cref="WaitForRoom"/> said there is room.</summary>
    public void Add(in PreparedFrame frame)
    {
        lock (_gate)
        {
            if (_inFlight >= _capacity)
            {
                throw new InvalidOperationException("no room for another prepared frame");
            }

            _waiting.Enqueue(frame);
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
            while (_waiting.Count == 0)
            {
                _stopping.ThrowIfCancellationRequested();
                if (_completed)
                {
                    frame = default;
                    return false;
                }

                Monitor.Wait(_gate);
            }

            frame = _waiting.Dequeue();
            _taken = frame;
            _running = true;
            _takenAt = Stopwatch.GetTimestamp();
            return true;
        }
    }

    /// <summary>
    /// Inference side: the frame last taken has run (<paramref name="inferred"/>: its outputs await finishing) or failed
    /// (its slot and its model free again). Finishes the inferred frames here, unless every slot is in flight with a
    /// frame queued for this side: then the preparing side, waiting for room, finishes them.
    /// </summary>
    public void Done(bool inferred)
    {
        var now = Stopwatch.GetTimestamp();
        bool finishHere;
        lock (_gate)
        {
            _lastRun = now - _takenAt;
            _running = false;
            if (inferred)
            {
                _inferred.Enqueue(_taken);
            }
            else
            {
                _inFlight--;
            }

            _taken = default;
            var leftToPreparer = _waiting.Count > 0 && _inFlight == _capacity;
            finishHere = !leftToPreparer && !_finishing && _inferred.Count > 0;
            if (finishHere)
            {
                _finishing = true;
            }
            else
            {
                WakePreparer();
            }
        }

        if (finishHere)
        {
            FinishInferred();
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

    /// <summary>
    /// Finishes what is left to finish, then blocks until <paramref name="ready"/>, or naps (outside the monitor) where
    /// <paramref name="mayNap"/> and <see cref="NapUntilRoom"/> allow.
    /// </summary>
    private bool WaitUntil(Func<PreparedFrames, bool> ready, bool mayNap)
    {
        while (true)
        {
            long nap;
            lock (_gate)
            {
                _stopping.ThrowIfCancellationRequested();
                if (_closed)
                {
                    return false;
                }

                if (_inferred.Count > 0 && !_finishing)
                {
                    _finishing = true;
                    nap = 0;
                }
                else if (ready(this))
                {
                    return true;
                }
                else
                {
                    nap = mayNap ? NapUntilRoom() : 0;
                    if (nap <= 0)
                    {
                        Block();
                        continue;
                    }
                }
            }

            if (nap > 0)
            {
                Libc.Sleep(Stopwatch.GetElapsedTime(0, nap));
            }
            else
            {
                FinishInferred();
            }
        }
    }

    /// <summary>
    /// On the side that claimed the finishing: finishes inferred frames, oldest first, until none is left (the other
    /// side may add more meanwhile), each one's slot free once it is finished; gives the claim up however it ends.
    /// </summary>
    private void FinishInferred()
    {
        try
        {
            while (true)
            {
                PreparedFrame next;
                lock (_gate)
                {
                    if (_inferred.Count == 0)
                    {
                        return;
                    }

                    next = _inferred.Dequeue();
                }

                try
                {
                    _finish(next);
                }
                finally
                {
                    lock (_gate)
                    {
                        _inFlight--;
                        WakePreparer();
                    }
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _finishing = false;
            }
        }
    }

    /// <summary>Pulses the monitor (held) if the preparing side blocks on it: there may be room, or a frame to finish.</summary>
    private void WakePreparer()
    {
        if (_preparerBlocked)
        {
            _wakes++;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits on the monitor (held) until pulsed, telling <see cref="WakePreparer"/> that it must pulse.</summary>
    private void Block()
    {
        _preparerBlocked = true;
        try
        {
            Monitor.Wait(_gate);
        }
        finally
        {
            _preparerBlocked = false;
        }
    }

    /// <summary>
    /// Stopwatch ticks to nap (the monitor held, every slot in flight): until the run going on should end, by the last
    /// run's length, plus an eighth of it; 0 to block instead when no run is going on, when no frame waits behind it (the
    /// inference side would have nothing to do while the preparing side slept), when the run is already overdue, or when
    /// the nap would be long.
    /// </summary>
    private long NapUntilRoom()
    {
        if (_waiting.Count == 0 || !_running || _lastRun <= 0)
        {
            return 0;
        }

        var left = _takenAt + _lastRun - Stopwatch.GetTimestamp();
        if (left <= 0)
        {
            return 0;
        }

        var nap = left + (_lastRun / 8);
        return nap > MaxNap ? 0 : nap;
    }

    private void Wake()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Frames in order in a fixed ring; the caller keeps it within its capacity, under the monitor.</summary>
    private sealed class FrameQueue(int capacity)
    {
        private readonly PreparedFrame[] _ring = new PreparedFrame[capacity];
        private int _head;

        public int Count { get; private set; }

        public void Enqueue(in PreparedFrame frame)
        {
            _ring[(_head + Count) % _ring.Length] = frame;
            Count++;
        }

        public PreparedFrame Dequeue()
        {
            var frame = _ring[_head];
            _ring[_head] = default;
            _head = (_head + 1) % _ring.Length;
            Count--;
            return frame;
        }
    }
}
