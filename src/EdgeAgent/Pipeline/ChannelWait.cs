using System.Runtime.CompilerServices;
using System.Threading.Channels;
using System.Threading.Tasks.Sources;

namespace EdgeAgent.Pipeline;

/// <summary>
/// Waits for a channel to hold an item, or for a stop, with one reusable awaitable. A channel's own
/// <c>WaitToReadAsync</c> allocates a waiter per wait when given a token that can be cancelled; this waits with
/// none (the channel's reusable waiter) and completes early from one registration on the stop token, so a steady
/// stream allocates nothing. A reader on a thread of its own can block in <see cref="Wait"/> instead. One reader at a
/// time; not for concurrent waits.
/// </summary>
internal sealed class ChannelWait<T> : IValueTaskSource<bool>, IDisposable
{
    private readonly ChannelReader<T> _reader;
    private readonly CancellationToken _stopping;
    private readonly Action _channelReady;
    private readonly CancellationTokenRegistration _stop;
    private ManualResetValueTaskSourceCore<bool> _core;
    private ConfiguredValueTaskAwaitable<bool>.ConfiguredValueTaskAwaiter _pending;
    private int _completed = 1;

    // For Wait: set once the channel is ready or the stop fired, with what happened.
    private readonly ManualResetEventSlim _woken = new(initialState: false, spinCount: 0);
    private bool _blocking;
    private bool _blockedReady;
    private bool _blockedStopped;

    public ChannelWait(ChannelReader<T> reader, CancellationToken stopping)
    {
        _reader = reader;
        _stopping = stopping;
        _channelReady = OnChannelReady;
        _stop = stopping.UnsafeRegister(static state => ((ChannelWait<T>)state!).Complete(ready: false, stopped: true), this);
    }

    /// <summary>True once an item can be read, false once the channel has ended.</summary>
    /// <exception cref="OperationCanceledException">The stop token fired.</exception>
    public ValueTask<bool> WaitAsync()
    {
        _stopping.ThrowIfCancellationRequested();
        var wait = _reader.WaitToReadAsync(CancellationToken.None);
        if (wait.IsCompleted)
        {
            return wait;
        }

        _core.Reset();
        _core.RunContinuationsAsynchronously = false;
        Volatile.Write(ref _completed, 0);
        _pending = wait.ConfigureAwait(false).GetAwaiter();
        _pending.UnsafeOnCompleted(_channelReady);
        if (_stopping.IsCancellationRequested)
        {
            Complete(ready: false, stopped: true);
        }

        return new ValueTask<bool>(this, _core.Version);
    }

    /// <summary>As <see cref="WaitAsync"/>, blocking the calling thread instead.</summary>
    /// <exception cref="OperationCanceledException">The stop token fired.</exception>
    public bool Wait()
    {
        _stopping.ThrowIfCancellationRequested();
        var wait = _reader.WaitToReadAsync(CancellationToken.None);
        if (wait.IsCompleted)
        {
            return wait.GetAwaiter().GetResult();
        }

        _woken.Reset();
        _blocking = true;
        Volatile.Write(ref _completed, 0);
        _pending = wait.ConfigureAwait(false).GetAwaiter();
        _pending.UnsafeOnCompleted(_channelReady);
        if (_stopping.IsCancellationRequested)
        {
            Complete(ready: false, stopped: true);
        }

        _woken.Wait();
        _blocking = false;
        return _blockedStopped ? throw new OperationCanceledException(_stopping) : _blockedReady;
    }

    public bool GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    public void Dispose()
    {
        _stop.Dispose();
        _woken.Dispose();
    }

    private void OnChannelReady() => Complete(_pending.GetResult(), stopped: false);

    private void Complete(bool ready, bool stopped)
    {
        if (Interlocked.CompareExchange(ref _completed, 1, 0) != 0)
        {
            return;
        }

        if (_blocking)
        {
            (_blockedReady, _blockedStopped) = (ready, stopped);
            _woken.Set();
            return;
        }

        if (stopped)
        {
            // Not inline on the thread that cancelled: the reader's loop goes on from the thread pool.
            _core.RunContinuationsAsynchronously = true;
            _core.SetException(new OperationCanceledException(_stopping));
            return;
        }

        // The channel's waiter already runs this on the thread pool: go on inline, which queues nothing.
        _core.SetResult(ready);
    }
}
