using System.Diagnostics;

namespace EdgeAgent.Mqtt.Tests;

[Collection(SharedBroker.Name)]
public sealed class WillTests(BrokerFixture fixture)
{
    [Fact]
    public async Task Another_client_sees_the_retained_status_and_then_the_last_will_when_the_publisher_is_killed()
    {
        var port = fixture.Broker.Port;
        var topic = $"edge/{TestClients.UniqueId("pi")}/status";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { typeof(Program).Assembly.Location, "status-publisher", port.ToString(System.Globalization.CultureInfo.InvariantCulture), TestClients.UniqueId("child"), topic })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("the child did not start");
        try
        {
            var ready = await child.StandardOutput.ReadLineAsync().WaitAsync(TestClients.Timeout);
            Assert.True(ready == "ready", $"the child printed '{ready}'; stderr: {(child.HasExited ? await child.StandardError.ReadToEndAsync() : "(running)")}");

            await using var watcher = await TestClients.ConnectAsync(port, "watcher");
            var status = await watcher.CollectAsync(topic);
            var online = await status.NextAsync();
            Assert.Equal(("online", true), (online.Text(), online.Retain));

            child.Kill();
            await child.WaitForExitAsync().WaitAsync(TestClients.Timeout);

            var offline = await status.NextAsync();
            Assert.Equal("offline", offline.Text());
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }

        // The will was retained: a client that comes later reads "offline".
        await using var late = await TestClients.ConnectAsync(port, "late");
        var retained = await (await late.CollectAsync(topic)).NextAsync();
        Assert.Equal(("offline", true), (retained.Text(), retained.Retain));
    }

    [Fact]
    public async Task A_clean_disconnect_does_not_publish_the_will()
    {
        var port = fixture.Broker.Port;
        var topic = $"edge/{TestClients.UniqueId("clean")}/status";
        await using var watcher = await TestClients.ConnectAsync(port, "cleanwatch");
        var status = await watcher.CollectAsync(topic);

        var options = TestClients.Options(port, "cleanpub");
        var publisher = await TestClients.ConnectAsync(new MqttClientOptions
        {
            Host = options.Host,
            Port = port,
            ClientId = options.ClientId,
            Will = new MqttWill { Topic = topic, Payload = TestClients.Utf8("offline"), Retain = true },
        });
        await publisher.PublishAsync(topic, TestClients.Utf8("online"), MqttQos.AtLeastOnce, retain: true);
        await publisher.DisposeAsync();
        Assert.Equal(MqttConnectionState.Stopped, publisher.State);

        // A marker published after the disconnect arrives after anything the disconnect could have caused.
        await using var marker = await TestClients.ConnectAsync(port, "marker");
        await marker.PublishAsync(topic, TestClients.Utf8("marker"), MqttQos.AtLeastOnce);
        Assert.Equal("online", (await status.NextAsync()).Text());
        Assert.Equal("marker", (await status.NextAsync()).Text());
    }
}
