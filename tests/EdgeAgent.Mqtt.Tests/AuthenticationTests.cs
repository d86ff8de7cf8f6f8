using EdgeAgent.Testing;

namespace EdgeAgent.Mqtt.Tests;

public sealed class AuthenticationTests : IAsyncLifetime
{
    private MosquittoBroker? _broker;
    private string? _secrets;

    private MosquittoBroker Broker => _broker!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync(
            global: "allow_anonymous false\npassword_file {dir}/passwords",
            prepare: async directory =>
            {
                var result = await ChildProcess.RunAsync("mosquitto_passwd", ["-c", "-b", Path.Combine(directory, "passwords"), "pi-01", "s3cret"], TestClients.Timeout);
                Assert.True(result.ExitCode == 0, $"mosquitto_passwd failed: {result.StandardError}");
            });
        _secrets = Directory.CreateTempSubdirectory("mqtt-secrets-").FullName;
    }

    public Task DisposeAsync()
    {
        _broker?.Dispose();
        if (_secrets is not null)
        {
            Directory.Delete(_secrets, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_password_read_from_a_file_logs_in()
    {
        await using var client = await TestClients.ConnectAsync(WithPassword("s3cret\n", "right"));
        var received = await client.CollectAsync("auth/ok");
        await client.PublishAsync("auth/ok", TestClients.Utf8("in"), MqttQos.AtLeastOnce).AsTask().WaitAsync(TestClients.Timeout);
        Assert.Equal("in", (await received.NextAsync()).Text());
    }

    [Fact]
    public async Task A_wrong_password_gives_a_clear_error_after_a_bounded_number_of_spaced_attempts()
    {
        var options = WithPassword("wrong", "wrong", maxAuthenticationFailures: 3);
        await using var client = new MqttClient(options);
        var started = DateTime.UtcNow;
        client.Start();

        var error = await Assert.ThrowsAsync<MqttConnectException>(() => client.WaitUntilConnectedAsync().WaitAsync(TestClients.Timeout));

        Assert.Equal(135, error.ReasonCode);
        Assert.Contains(MqttReasonException.ReasonText(135), error.Message, StringComparison.Ordinal);
        Assert.Contains("CONNECT", error.Message, StringComparison.Ordinal);
        Assert.Contains("giving up", error.Message, StringComparison.Ordinal);
        Assert.False(error.WillRetry);
        Assert.Equal(3, client.ConnectAttempts);
        Assert.Equal(MqttConnectionState.Failed, client.State);
        Assert.Same(error, client.LastError);

        // Two backoff delays (median 200 ms and 400 ms, jittered) separate the three attempts: no hot loop.
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(100), $"three refusals took only {DateTime.UtcNow - started}");
    }

    private MqttClientOptions WithPassword(string password, string name, int maxAuthenticationFailures = 5)
    {
        var file = Path.Combine(_secrets!, name);
        File.WriteAllText(file, password);
        var options = TestClients.Options(Broker.Port, name);
        return new MqttClientOptions
        {
            Host = options.Host,
            Port = options.Port,
            ClientId = options.ClientId,
            Username = "pi-01",
            PasswordFile = file,
            ReconnectDelay = TimeSpan.FromMilliseconds(200),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
            MaxAuthenticationFailures = maxAuthenticationFailures,
        };
    }
}
