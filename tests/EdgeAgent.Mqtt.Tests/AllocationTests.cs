using EdgeAgent.Testing;
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

            // The counter is process-wide: the quietest of several windows is the client's own figure.
            var quietest = long.MaxValue;
            for (var window = 0; window < 5; window++)
            {
                var before = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 0; i < 2_000; i++)
                {
                    await client.PublishAsync("alloc/results/cam0", payload, MqttQos.AtLeastOnce);
                }

                quietest = Math.Min(quietest, GC.GetTotalAllocatedBytes(precise: true) - before);
            }

            return quietest;
        }).WaitAsync(TestClients.Timeout);

        Assert.True(allocated / 2_000 < 16, $"{allocated} bytes for 2,000 publishes ({allocated / 2_000.0:0.0} per publish)");
    }
}
