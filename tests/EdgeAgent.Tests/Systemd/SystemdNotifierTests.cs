using System.Text;
using EdgeAgent.Systemd;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Systemd;

/// <summary>sd_notify datagrams on real sockets bound under a temp directory and in the abstract namespace.</summary>
public sealed class SystemdNotifierTests
{
    [Fact]
    public void States_arrive_one_datagram_each_in_order_on_a_socket_path()
    {
        using var listener = DatagramListener.InTempDirectory("notify");
        AssertStatesArriveInOrder(listener);
    }

    [Fact]
    public void States_arrive_one_datagram_each_in_order_on_an_abstract_socket()
    {
        using var listener = DatagramListener.Abstract();
        AssertStatesArriveInOrder(listener);
    }

    private static void AssertStatesArriveInOrder(DatagramListener listener)
    {
        using var notifier = new SystemdNotifier(listener.Address);
        Assert.True(notifier.IsEnabled);

        notifier.NotifyReady();
        notifier.NotifyStatus("2 streams running, 1 degraded (door: restarting)");
        notifier.NotifyWatchdog();
        notifier.NotifyStopping();

        Assert.Equal("READY=1", Text(listener.Receive()));
        Assert.Equal("STATUS=2 streams running, 1 degraded (door: restarting)", Text(listener.Receive()));
        Assert.Equal("WATCHDOG=1", Text(listener.Receive()));
        Assert.Equal("STOPPING=1", Text(listener.Receive()));
        Assert.False(listener.HasPending);
        Assert.Equal(0, notifier.SendFailures);
    }

    [Fact]
    public void A_status_is_sent_as_one_line()
    {
        using var listener = DatagramListener.InTempDirectory("notify");
        using var notifier = new SystemdNotifier(listener.Address);

        notifier.NotifyStatus("loading models\r\nREADY=1\nstill loading");

        Assert.Equal("STATUS=loading models  READY=1 still loading", Text(listener.Receive()));
    }

    [Fact]
    public void A_long_status_is_cut_at_a_character_boundary()
    {
        using var listener = DatagramListener.InTempDirectory("notify");
        using var notifier = new SystemdNotifier(listener.Address);

        notifier.NotifyStatus(new string('é', 1000));

        var datagram = Text(listener.Receive());
        Assert.Equal("STATUS=" + new string('é', 256), datagram);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_notify_socket_every_call_is_a_silent_no_op(string? socketPath)
    {
        using var notifier = new SystemdNotifier(socketPath);

        notifier.NotifyReady();
        notifier.NotifyStatus("running");
        notifier.NotifyWatchdog();
        notifier.NotifyStopping();

        Assert.False(notifier.IsEnabled);
        Assert.Equal(0, notifier.SendFailures);
    }

    [Fact]
    public void Send_failures_are_counted_not_thrown_and_sending_recovers_once_the_socket_exists()
    {
        var directory = Directory.CreateTempSubdirectory("edge-agent-systemd-");
        try
        {
            var path = Path.Combine(directory.FullName, "notify");
            using var notifier = new SystemdNotifier(path);

            notifier.NotifyReady();
            notifier.NotifyWatchdog();
            notifier.NotifyStatus("running");
            Assert.Equal(3, notifier.SendFailures);

            using var listener = DatagramListener.At(path);
            notifier.NotifyWatchdog();
            Assert.Equal("WATCHDOG=1", Text(listener.Receive()));
            Assert.Equal(3, notifier.SendFailures);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_disposed_notifier_sends_nothing_and_does_not_throw()
    {
        using var listener = DatagramListener.InTempDirectory("notify");
        var notifier = new SystemdNotifier(listener.Address);
        notifier.Dispose();

        notifier.NotifyWatchdog();

        Assert.False(listener.HasPending);
    }

    private static string Text(byte[] datagram) => Encoding.UTF8.GetString(datagram);
}
