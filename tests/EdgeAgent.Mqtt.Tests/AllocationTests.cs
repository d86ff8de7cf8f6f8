namespace EdgeAgent.Mqtt.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Alone
{
    public const string Name = "alone (measures the whole process)";
}

[Collection(Alone.Name)]
public sealed class AllocationTests
{
    [Fact]
    public async Task Qos_1_publishes_in_steady_state_allocate_next_to_nothing()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var client = await TestClients.ConnectAsync(broker.Port, "alloc");
        var payload = new byte[300];

        // Off xunit's synchronisation context, whose posts would allocate; warm the pool and the channels first.
        var allocated = await Task.Run(async () =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                await client.PublishAsync("alloc/results/cam0", payload, MqttQos.AtLeastOnce);
            }

            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < 5_000; i++)
            {
                await client.PublishAsync("alloc/results/cam0", payload, MqttQos.AtLeastOnce);
            }

            return GC.GetTotalAllocatedBytes(precise: true) - before;
        }).WaitAsync(TestClients.Timeout);

        Assert.True(allocated / 5_000 < 16, $"{allocated} bytes for 5,000 publishes ({allocated / 5_000.0:0.0} per publish)");
    }
}
