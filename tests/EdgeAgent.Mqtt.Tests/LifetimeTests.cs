namespace EdgeAgent.Mqtt.Tests;

public sealed class LifetimeTests
{
    [Fact]
    public void The_library_reports_its_version() =>
        Assert.Matches(@"^2\.\d+\.\d+$", MosquittoLibrary.Version);

    [Fact]
    public async Task A_client_that_never_started_disposes_cleanly_and_twice()
    {
        var client = TestClients.Create(1883, "unstarted");
        await client.DisposeAsync();
        await client.DisposeAsync();

        Assert.Equal(MqttConnectionState.Stopped, client.State);
        Assert.Throws<ObjectDisposedException>(client.Start);
        Assert.Throws<ObjectDisposedException>(() => { _ = client.PublishAsync("a/b", TestClients.Utf8("x"), MqttQos.AtMostOnce).AsTask(); });
    }

    [Fact]
    public async Task Disposing_a_client_that_is_retrying_stops_it_and_fails_its_waiters()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var client = TestClients.Create(port, "retrying");
        client.Start();
        var waiting = client.WaitUntilConnectedAsync();
        var queued = client.PublishAsync("retry/x", TestClients.Utf8("x"), MqttQos.AtLeastOnce).AsTask();

        await client.DisposeAsync().AsTask().WaitAsync(TestClients.Timeout);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(TestClients.Timeout));
        await Assert.ThrowsAsync<OperationCanceledException>(() => queued.WaitAsync(TestClients.Timeout));
        Assert.Equal(MqttConnectionState.Stopped, client.State);
    }
}
