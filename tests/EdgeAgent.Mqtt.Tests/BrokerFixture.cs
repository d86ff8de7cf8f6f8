using EdgeAgent.Testing;
namespace EdgeAgent.Mqtt.Tests;

/// <summary>One plain broker shared by the tests that need nothing special of it.</summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    private MosquittoBroker? _broker;

    public MosquittoBroker Broker => _broker ?? throw new InvalidOperationException("the broker has not started");

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync(global: "max_packet_size 65536");

        // Prove the broker with a real client before any test runs.
        await using var client = TestClients.Create(_broker.Port, "fixture-probe");
        client.Start();
        await client.WaitUntilConnectedAsync().WaitAsync(TestClients.Timeout);
    }

    public Task DisposeAsync()
    {
        _broker?.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class SharedBroker : ICollectionFixture<BrokerFixture>
{
    public const string Name = "shared mosquitto";
}
