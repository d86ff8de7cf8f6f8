using System.Net;
using System.Net.Sockets;
using EdgeAgent.Testing;

namespace EdgeAgent.Mqtt.Tests;

[Collection(SharedBroker.Name)]
public sealed class BadInputTests(BrokerFixture fixture)
{
    private int Port => fixture.Broker.Port;

    [Theory]
    [InlineData("edge/+/status")]
    [InlineData("edge/#")]
    [InlineData("")]
    public async Task Publishing_to_a_topic_with_a_wildcard_or_no_name_is_refused_with_the_topic_named(string topic)
    {
        await using var client = await TestClients.ConnectAsync(Port, "badtopic");

        var error = Assert.Throws<ArgumentException>(() => { _ = client.PublishAsync(topic, TestClients.Utf8("x"), MqttQos.AtLeastOnce).AsTask(); });

        Assert.Contains($"'{topic}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("wildcard", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("edge/a#")]
    [InlineData("edge/#/x")]
    [InlineData("edge/pi+/status")]
    public async Task Subscribing_to_a_malformed_filter_is_refused(string filter)
    {
        await using var client = await TestClients.ConnectAsync(Port, "badfilter");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.SubscribeAsync(filter, MqttQos.AtLeastOnce, (_, _) => ValueTask.CompletedTask));

        Assert.Contains(filter, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_payload_over_the_brokers_maximum_packet_size_is_refused_with_libmosquittos_text()
    {
        await using var client = await TestClients.ConnectAsync(Port, "oversize");

        var error = Assert.Throws<MosquittoException>(() => { _ = client.PublishAsync("oversize/x", new byte[70_000], MqttQos.AtLeastOnce).AsTask(); });

        Assert.Equal(MosquittoError.OversizePacket, error.Error);
        Assert.Contains(MosquittoException.ErrorText(MosquittoError.OversizePacket), error.Message, StringComparison.Ordinal);
        Assert.Contains("oversize/x", error.Message, StringComparison.Ordinal);

        // The client is still usable.
        await client.PublishAsync("oversize/x", new byte[1_000], MqttQos.AtLeastOnce).AsTask().WaitAsync(TestClients.Timeout);
    }

    [Fact]
    public async Task A_server_that_is_not_an_mqtt_broker_gives_a_clear_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = Task.Run(async () =>
        {
            using var connection = await listener.AcceptTcpClientAsync();
            var stream = connection.GetStream();
            await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
        });
        var options = TestClients.Options(((IPEndPoint)listener.LocalEndpoint).Port, "nothttp");
        await using var client = new MqttClient(new MqttClientOptions { Host = options.Host, Port = options.Port, ClientId = options.ClientId, MaxConnectAttempts = 1 });
        client.Start();

        var error = await Assert.ThrowsAsync<MqttConnectException>(() => client.WaitUntilConnectedAsync().WaitAsync(TestClients.Timeout));

        Assert.Contains("is it an MQTT broker?", error.Message, StringComparison.Ordinal);
        Assert.Contains(client.Endpoint, error.Message, StringComparison.Ordinal);
        await serving.WaitAsync(TestClients.Timeout);
    }

    [Fact]
    public async Task A_server_that_never_answers_the_connect_times_out_with_a_clear_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var options = TestClients.Options(((IPEndPoint)listener.LocalEndpoint).Port, "silent");
        await using var client = new MqttClient(new MqttClientOptions
        {
            Host = options.Host,
            Port = options.Port,
            ClientId = options.ClientId,
            MaxConnectAttempts = 1,
            ConnectTimeout = TimeSpan.FromMilliseconds(300),
        });
        client.Start();

        var error = await Assert.ThrowsAsync<MqttConnectException>(() => client.WaitUntilConnectedAsync().WaitAsync(TestClients.Timeout));

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Contains("no CONNACK", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_listening_gives_the_operating_systems_reason()
    {
        var options = TestClients.Options(LoopbackPorts.Free(), "refused");
        await using var client = new MqttClient(new MqttClientOptions { Host = options.Host, Port = options.Port, ClientId = options.ClientId, MaxConnectAttempts = 2, ReconnectDelay = TimeSpan.FromMilliseconds(10) });
        client.Start();

        var error = await Assert.ThrowsAsync<MqttConnectException>(() => client.WaitUntilConnectedAsync().WaitAsync(TestClients.Timeout));

        var native = Assert.IsType<MosquittoException>(error.InnerException);
        Assert.Equal(MosquittoError.Errno, native.Error);
        Assert.Equal(111, native.Errno);
        Assert.Contains("Connection refused", native.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Attempt);
    }

    [Fact]
    public void Bad_options_are_refused_with_the_option_named()
    {
        var port = Assert.Throws<ArgumentException>(() => new MqttClient(new MqttClientOptions { ClientId = "x", Port = 0 }));
        Assert.Contains("Port", port.Message, StringComparison.Ordinal);

        var ca = Assert.Throws<ArgumentException>(() => new MqttClient(new MqttClientOptions { ClientId = "x", Tls = new MqttTlsOptions { CaFile = "/nonexistent/ca.crt" } }));
        Assert.Contains("Tls:CaFile", ca.Message, StringComparison.Ordinal);

        var will = Assert.Throws<ArgumentException>(() => new MqttClient(new MqttClientOptions { ClientId = "x", Will = new MqttWill { Topic = "edge/#" } }));
        Assert.Contains("Will:Topic", will.Message, StringComparison.Ordinal);

        var password = Assert.Throws<ArgumentException>(() => new MqttClient(new MqttClientOptions { ClientId = "x", Username = "u", PasswordFile = "/nonexistent/password" }));
        Assert.Contains("PasswordFile", password.Message, StringComparison.Ordinal);
    }
}
