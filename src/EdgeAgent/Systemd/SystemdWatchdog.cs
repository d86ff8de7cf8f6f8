using Microsoft.Extensions.Logging;

namespace EdgeAgent.Systemd;

/// <summary>
/// Sends WATCHDOG=1 every half of the service's watchdog timeout, but only while every loop registered with the
/// <see cref="LivenessMonitor"/> is alive: a wedged loop lets the timeout run out, so systemd restarts the agent.
/// Without a timeout or a notify socket, <see cref="Start"/> does nothing.
/// </summary>
public sealed class SystemdWatchdog(SystemdNotifier notifier, LivenessMonitor liveness, TimeSpan? timeout, TimeProvider time, ILogger logger)
    : IDisposable
{
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private bool _withholding;
    private bool _disposed;

    /// <summary>How often WATCHDOG=1 is sent, or null when there is no watchdog.</summary>
    public TimeSpan? Interval { get; } = timeout / 2;

    /// <summary>WATCHDOG=1 messages sent so far.</summary>
    public long Sent { get; private set; }

    /// <summary>Intervals in which a stalled loop kept WATCHDOG=1 back.</summary>
    public long Withheld { get; private set; }

    /// <summary>Starts the heartbeat; the first WATCHDOG=1 goes out one interval from now.</summary>
    public void Start()
    {
        if (Interval is not { } interval || interval <= TimeSpan.Zero || !notifier.IsEnabled)
        {
            return;
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_timer is not null)
            {
                return;
            }

            Log.WatchdogStarted(logger, interval.TotalMilliseconds);
            _timer = time.CreateTimer(static state => ((SystemdWatchdog)state!).Tick(), this, interval, interval);
        }
    }

    private void Tick()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (liveness.FindStalled() is { } stalled)
            {
                Withheld++;
                if (!_withholding)
                {
                    _withholding = true;
                    Log.WatchdogWithheld(logger, stalled.Name, stalled.Silence.TotalMilliseconds, stalled.MaxSilence.TotalMilliseconds);
                }

                return;
            }

            if (_withholding)
            {
                _withholding = false;
                Log.WatchdogResumed(logger);
            }

            notifier.NotifyWatchdog();
            Sent++;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer?.Dispose();
        }
    }
}
