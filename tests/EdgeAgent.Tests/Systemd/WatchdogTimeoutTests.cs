using EdgeAgent.Systemd;

namespace EdgeAgent.Tests.Systemd;

public sealed class WatchdogTimeoutTests
{
    private const int Self = 4242;

    [Theory]
    [InlineData("30000000", null, 30_000)]
    [InlineData("30000000", "", 30_000)]
    [InlineData("500000", "4242", 500)]
    public void The_timeout_is_read_when_no_pid_or_this_pid_is_named(string usec, string? pid, int expectedMilliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), WatchdogTimeout.Parse(usec, pid, Self));

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0", null)]
    [InlineData("-5", null)]
    [InlineData("ten", null)]
    [InlineData("18446744073709551615", null)]
    [InlineData("30000000", "1")]
    [InlineData("30000000", "self")]
    public void There_is_no_watchdog_when_unset_malformed_infinite_or_meant_for_another_process(string? usec, string? pid) =>
        Assert.Null(WatchdogTimeout.Parse(usec, pid, Self));
}
