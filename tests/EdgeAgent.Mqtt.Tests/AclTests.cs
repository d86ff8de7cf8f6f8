using EdgeAgent.Testing;
namespace EdgeAgent.Mqtt.Tests;

public sealed class AclTests : IAsyncLifetime
{
    private MosquittoBroker? _broker;

    public async Task InitializeAsync() =>
        _broker = await MosquittoBroker.StartAsync(
            global: "acl_file {dir}/acl",
            prepare: directory => File.WriteAllTextAsync(Path.Combine(directory, "acl"), "topic readwrite allowed/#\n"));

    public Task DisposeAsync()
    {
        _broker?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_publish_the_broker_refuses_faults_with_the_pubacks_reason_code()
    {
        await using var client = await TestClients.ConnectAsync(_broker!.Port, "acl");
        await client.PublishAsync("allowed/x", TestClients.Utf8("ok"), MqttQos.AtLeastOnce).AsTask().WaitAsync(TestClients.Timeout);

        var error = await Assert.ThrowsAsync<MqttReasonException>(() => client.PublishAsync("denied/x", TestClients.Utf8("no"), MqttQos.AtLeastOnce).AsTask().WaitAsync(TestClients.Timeout));

        Assert.Equal(135, error.ReasonCode);
        Assert.Contains("Not authorized", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
