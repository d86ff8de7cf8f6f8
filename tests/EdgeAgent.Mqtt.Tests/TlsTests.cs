using EdgeAgent.Testing;
namespace EdgeAgent.Mqtt.Tests;

public sealed class TlsTests : IAsyncLifetime
{
    private MosquittoBroker? _broker;

    private MosquittoBroker Broker => _broker!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync(
            listener: "cafile {dir}/ca.crt\ncertfile {dir}/server.crt\nkeyfile {dir}/server.key\nrequire_certificate true\nuse_identity_as_username true",
            prepare: async directory =>
            {
                await Certificates.CreateAsync(directory);
                await Certificates.CreateAsync(Directory.CreateDirectory(Path.Combine(directory, "other")).FullName, "other-ca");
            });
    }

    public Task DisposeAsync()
    {
        _broker?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_client_with_the_ca_and_its_own_certificate_connects_over_tls_and_round_trips()
    {
        await using var client = await TestClients.ConnectAsync(Options("mtls", "ca.crt", withClientCertificate: true));
        Assert.StartsWith("mqtts://", client.Endpoint, StringComparison.Ordinal);
        var received = await client.CollectAsync("tls/echo");

        await client.PublishAsync("tls/echo", TestClients.Utf8("over tls"), MqttQos.AtLeastOnce).AsTask().WaitAsync(TestClients.Timeout);

        Assert.Equal("over tls", (await received.NextAsync()).Text());
        Assert.Contains("u'pi-01'", Broker.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_certificate_from_another_ca_fails_with_a_tls_error()
    {
        await using var client = new MqttClient(Options("wrongca", "other/other-ca.crt", withClientCertificate: true, attempts: 1));
        client.Start();

        var error = await Assert.ThrowsAsync<MqttConnectException>(() => client.WaitUntilConnectedAsync().WaitAsync(TestClients.Timeout));

        var native = Assert.IsType<MosquittoException>(error.InnerException);
        Assert.Equal(MosquittoError.Tls, native.Error);
        Assert.Contains("TLS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_turned_away_by_a_broker_that_requires_one()
    {
        await using var client = new MqttClient(Options("nocert", "ca.crt", withClientCertificate: false, attempts: 1));
        client.Start();

        var error = await Assert.ThrowsAsync<MqttConnectException>(() => client.WaitUntilConnectedAsync().WaitAsync(TestClients.Timeout));

        Assert.False(error.WillRetry);
        Assert.IsType<MosquittoException>(error.InnerException);
    }

    private MqttClientOptions Options(string name, string caFile, bool withClientCertificate, int? attempts = null)
    {
        var plain = TestClients.Options(Broker.Port, name);
        return new MqttClientOptions
        {
            Host = plain.Host,
            Port = plain.Port,
            ClientId = plain.ClientId,
            ReconnectDelay = plain.ReconnectDelay,
            MaxReconnectDelay = plain.MaxReconnectDelay,
            MaxConnectAttempts = attempts,
            Tls = new MqttTlsOptions
            {
                CaFile = Path.Combine(Broker.Directory, caFile),
                CertFile = withClientCertificate ? Path.Combine(Broker.Directory, "client.crt") : null,
                KeyFile = withClientCertificate ? Path.Combine(Broker.Directory, "client.key") : null,
            },
        };
    }
}
