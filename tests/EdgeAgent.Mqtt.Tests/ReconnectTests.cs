using EdgeAgent.Testing;
using System.Collections.Concurrent;

namespace EdgeAgent.Mqtt.Tests;

public sealed class ReconnectTests : IAsyncLifetime
{
    private MosquittoBroker? _broker;

    private MosquittoBroker Broker => _broker!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public Task DisposeAsync()
    {
        _broker?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_client_started_while_the_broker_is_down_starts_at_once_and_connects_when_the_broker_comes_up()
    {
        await Broker.StopAsync();
        await using var client = new MqttClient(TestClients.Options(Broker.Port, "early"));
        client.Start();
        Assert.NotEqual(MqttConnectionState.Connected, client.State);
        var queued = client.PublishAsync("early/queued", TestClients.Utf8("sent later"), MqttQos.AtLeastOnce).AsTask();

        await Broker.RestartAsync();

        await client.WaitUntilConnectedAsync().WaitAsync(TestClients.Timeout);
        await queued.WaitAsync(TestClients.Timeout);
        Assert.True(client.ConnectAttempts >= 2, $"{client.ConnectAttempts} attempts");
    }

    [Fact]
    public async Task Every_qos_1_message_arrives_when_the_broker_is_stopped_and_restarted_in_the_middle_of_the_stream()
    {
        const int count = 3000;
        await using var subscriber = await TestClients.ConnectAsync(Broker.Port, "streamsub");
        var seen = new ConcurrentDictionary<int, int>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await subscriber.SubscribeAsync("stream/+", MqttQos.AtLeastOnce, (message, _) =>
        {
            seen.AddOrUpdate(BitConverter.ToInt32(message.Payload.Span), 1, (_, n) => n + 1);
            if (seen.Count == count)
            {
                all.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }).WaitAsync(TestClients.Timeout);

        await using var publisher = await TestClients.ConnectAsync(new MqttClientOptions
        {
            Host = "127.0.0.1",
            Port = Broker.Port,
            ClientId = TestClients.UniqueId("streampub"),
            ReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
            MaxPendingPublishes = 200,
        });
        var acknowledged = new List<Task>(count);
        Task PublishRange(int from, int to) => Task.Run(() =>
        {
            for (var i = from; i < to; i++)
            {
                acknowledged.Add(publisher.PublishAsync($"stream/{i % 3}", BitConverter.GetBytes(i), MqttQos.AtLeastOnce).AsTask());
            }
        });

        // The first third is still in flight when the broker stops; the second is published while it is down.
        await PublishRange(0, count / 3);
        await Broker.StopAsync();
        var whileDown = PublishRange(count / 3, 2 * count / 3);
        await Broker.RestartAsync();
        await whileDown.WaitAsync(TestClients.Timeout);
        await PublishRange(2 * count / 3, count);

        await Task.WhenAll(acknowledged).WaitAsync(TestClients.Timeout);
        await all.Task.WaitAsync(TestClients.Timeout);
        Assert.Equal(Enumerable.Range(0, count), seen.Keys.Order());
        Assert.True(publisher.ConnectAttempts >= 2, $"the publisher connected {publisher.ConnectAttempts} time(s)");
        Assert.True(subscriber.ConnectAttempts >= 2, $"the subscriber connected {subscriber.ConnectAttempts} time(s)");
    }
}
