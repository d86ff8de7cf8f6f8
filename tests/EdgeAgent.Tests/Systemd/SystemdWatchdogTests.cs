using System.Text;
using EdgeAgent.Systemd;
using EdgeAgent.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Tests.Systemd;

/// <summary>The watchdog heartbeat on a real notify socket, driven by a manual clock.</summary>
public sealed class SystemdWatchdogTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_second = TimeSpan.FromSeconds(1);

    private readonly ManualTimeProvider _time = new();
    private readonly DatagramListener _listener = DatagramListener.InTempDirectory("notify");
    private readonly SystemdNotifier _notifier;
    private readonly LivenessMonitor _liveness;
    private readonly RecordingLogger _logger = new();
    private readonly SystemdWatchdog _watchdog;

    public SystemdWatchdogTests()
    {
        _notifier = new SystemdNotifier(_listener.Address);
        _liveness = new LivenessMonitor(_time);
        _watchdog = new SystemdWatchdog(_notifier, _liveness, s_timeout, _time, _logger);
    }

    [Fact]
    public void Sends_WATCHDOG_1_at_half_the_timeout()
    {
        _watchdog.Start();
        Assert.Equal(TimeSpan.FromSeconds(5), _watchdog.Interval);

        _time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.False(_listener.HasPending);

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal("WATCHDOG=1", Text(_listener.Receive()));
        Assert.False(_listener.HasPending);

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("WATCHDOG=1", Text(_listener.Receive()));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("WATCHDOG=1", Text(_listener.Receive()));
        Assert.False(_listener.HasPending);
        Assert.Equal(3, _watchdog.Sent);
    }

    [Fact]
    public void Stops_while_a_registered_loop_misses_its_deadline_and_resumes_when_it_beats_again()
    {
        using var inference = _liveness.Register("inference:mobilenet", TimeSpan.FromSeconds(3));
        using var publisher = _liveness.Register("publisher", TimeSpan.FromSeconds(3));
        _watchdog.Start();

        RunFor(TimeSpan.FromSeconds(10), inference, publisher);
        Assert.Equal(2, Drain());

        // The inference wedges; the publisher goes on beating.
        RunFor(TimeSpan.FromSeconds(10), publisher);
        Assert.Equal(0, Drain());
        Assert.Equal(2, _watchdog.Withheld);
        Assert.Contains("inference:mobilenet", _logger.MessageOf(3003), StringComparison.Ordinal);

        RunFor(TimeSpan.FromSeconds(5), inference, publisher);
        Assert.Equal(1, Drain());
        Assert.Equal([3002, 3003, 3004], _logger.EventIds);
    }

    [Fact]
    public void Keeps_going_while_a_loop_is_degraded_but_alive()
    {
        using var inference = _liveness.Register("inference:mobilenet", TimeSpan.FromSeconds(3));
        using var camera = _liveness.Register("camera:door", TimeSpan.FromSeconds(3));
        _watchdog.Start();

        camera.ReportDegraded();
        RunFor(TimeSpan.FromSeconds(30), inference);

        Assert.Equal(6, Drain());
        Assert.Equal(0, _watchdog.Withheld);
        Assert.True(camera.IsDegraded);

        // Back from backoff, the camera is held to its deadline again.
        camera.Beat();
        RunFor(TimeSpan.FromSeconds(5), inference);
        Assert.Equal(0, Drain());
        Assert.Equal(1, _watchdog.Withheld);
    }

    [Fact]
    public void A_loop_that_unregisters_no_longer_holds_the_watchdog_back()
    {
        var stream = _liveness.Register("pipeline:door", TimeSpan.FromSeconds(3));
        _watchdog.Start();
        stream.Dispose();

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, _liveness.Count);
        Assert.Equal(2, Drain());
    }

    [Fact]
    public void Does_nothing_without_a_watchdog_timeout_or_a_notify_socket()
    {
        using var noTimeout = new SystemdWatchdog(_notifier, _liveness, null, _time, NullLogger.Instance);
        using var noSocketNotifier = new SystemdNotifier(null);
        using var noSocket = new SystemdWatchdog(noSocketNotifier, _liveness, s_timeout, _time, NullLogger.Instance);

        noTimeout.Start();
        noSocket.Start();
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(noTimeout.Interval);
        Assert.Equal(0, noTimeout.Sent + noSocket.Sent);
        Assert.False(_listener.HasPending);
    }

    [Fact]
    public void Stops_sending_once_disposed()
    {
        _watchdog.Start();
        _time.Advance(TimeSpan.FromSeconds(5));
        _watchdog.Dispose();

        _time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(1, Drain());
    }

    /// <summary>Moves the clock a second at a time, each of <paramref name="beating"/> beating after every step.</summary>
    private void RunFor(TimeSpan span, params LivenessHandle[] beating)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += s_second)
        {
            _time.Advance(s_second);
            foreach (var handle in beating)
            {
                handle.Beat();
            }
        }
    }

    /// <summary>Receives every WATCHDOG=1 queued now and counts them.</summary>
    private int Drain()
    {
        var count = 0;
        while (_listener.HasPending)
        {
            Assert.Equal("WATCHDOG=1", Text(_listener.Receive()));
            count++;
        }

        return count;
    }

    private static string Text(byte[] datagram) => Encoding.UTF8.GetString(datagram);

    public void Dispose()
    {
        _watchdog.Dispose();
        _notifier.Dispose();
        _listener.Dispose();
    }
}
