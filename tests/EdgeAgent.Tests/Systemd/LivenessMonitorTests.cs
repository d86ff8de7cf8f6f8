using EdgeAgent.Systemd;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Systemd;

public sealed class LivenessMonitorTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void A_loop_is_stalled_only_once_its_silence_passes_its_limit()
    {
        var monitor = new LivenessMonitor(_time);
        using var fast = monitor.Register("inference", TimeSpan.FromSeconds(2));
        using var slow = monitor.Register("publisher", TimeSpan.FromSeconds(30));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(monitor.FindStalled());

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new StalledLoop("inference", TimeSpan.FromMilliseconds(2001), TimeSpan.FromSeconds(2)), monitor.FindStalled());

        fast.Beat();
        Assert.Null(monitor.FindStalled());
    }

    [Fact]
    public void A_degraded_loop_is_alive_until_it_beats_again()
    {
        var monitor = new LivenessMonitor(_time);
        using var camera = monitor.Register("camera:door", TimeSpan.FromSeconds(1));

        camera.ReportDegraded();
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Null(monitor.FindStalled());

        camera.Beat();
        Assert.False(camera.IsDegraded);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("camera:door", monitor.FindStalled()?.Name);
    }

    [Fact]
    public void A_loop_that_recovers_without_beating_counts_its_silence_from_the_recovery()
    {
        var monitor = new LivenessMonitor(_time);
        using var stream = monitor.Register("stream cam0", TimeSpan.FromSeconds(2));

        stream.ReportDegraded();
        _time.Advance(TimeSpan.FromMinutes(5));
        stream.ReportRecovered();
        Assert.False(stream.IsDegraded);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(monitor.FindStalled());
        stream.ReportRecovered();
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal("stream cam0", monitor.FindStalled()?.Name);
    }

    [Fact]
    public void Registration_needs_a_name_and_a_positive_limit()
    {
        var monitor = new LivenessMonitor(_time);

        Assert.Throws<ArgumentException>(() => monitor.Register(" ", TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => monitor.Register("inference", TimeSpan.Zero));
        Assert.Equal(0, monitor.Count);
    }
}
