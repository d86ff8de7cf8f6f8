using EdgeAgent.Systemd;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Systemd;

public sealed class SystemdDetectionTests
{
    [Fact]
    public void A_plain_shell_is_not_systemd() =>
        Assert.False(SystemdDetection.IsUnderSystemd(Environment([]), stderrInode: 77, stderrRedirected: true));

    [Fact]
    public void A_notify_socket_means_systemd() =>
        Assert.True(SystemdDetection.IsUnderSystemd(Environment(new() { ["NOTIFY_SOCKET"] = "/run/systemd/notify" }), null, false));

    [Theory]
    [InlineData(77ul, true)]
    [InlineData(78ul, false)]
    [InlineData(null, false)]
    public void JOURNAL_STREAM_counts_only_when_it_names_our_stderr(ulong? stderrInode, bool expected) =>
        Assert.Equal(expected, SystemdDetection.IsUnderSystemd(Environment(new() { ["JOURNAL_STREAM"] = "8:77" }), stderrInode, false));

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void INVOCATION_ID_counts_only_when_stderr_is_not_a_terminal(bool stderrRedirected, bool expected) =>
        Assert.Equal(expected, SystemdDetection.IsUnderSystemd(Environment(new() { ["INVOCATION_ID"] = "0123456789abcdef" }), null, stderrRedirected));

    [Fact]
    public void The_journal_is_chosen_under_systemd_only_where_its_socket_exists()
    {
        using var journal = DatagramListener.InTempDirectory("journal");
        var underSystemd = Environment(new() { ["NOTIFY_SOCKET"] = "@notify" });

        Assert.True(SystemdDetection.ShouldLogToJournal(underSystemd, null, false, journal.Address));
        Assert.False(SystemdDetection.ShouldLogToJournal(underSystemd, null, false, journal.Address + ".missing"));
        Assert.False(SystemdDetection.ShouldLogToJournal(Environment([]), null, false, journal.Address));
    }

    private static Func<string, string?> Environment(Dictionary<string, string> variables) =>
        name => variables.GetValueOrDefault(name);
}
