namespace EdgeAgent.Mqtt.Tests;

[Collection(SharedBroker.Name)]
public sealed class RoundTripTests(BrokerFixture fixture)
{
    private int Port => fixture.Broker.Port;

    [Fact]
    public async Task A_message_published_at_qos_1_reaches_a_subscriber_and_its_task_completes_on_the_puback()
    {
        await using var subscriber = await TestClients.ConnectAsync(Port, "sub");
        await using var publisher = await TestClients.ConnectAsync(Port, "pub");
        var received = await subscriber.CollectAsync("roundtrip/qos1");

        await publisher.PublishAsync("roundtrip/qos1", TestClients.Utf8("hello"), MqttQos.AtLeastOnce).AsTask().WaitAsync(TestClients.Timeout);

        var message = await received.NextAsync();
        Assert.Equal("roundtrip/qos1", message.Topic);
        Assert.Equal("hello", message.Text());
        Assert.Equal(MqttQos.AtLeastOnce, message.Qos);
        Assert.False(message.Retain);
    }

    [Fact]
    public async Task A_message_published_at_qos_0_arrives_and_an_empty_payload_is_allowed()
    {
        await using var subscriber = await TestClients.ConnectAsync(Port, "sub0");
        await using var publisher = await TestClients.ConnectAsync(Port, "pub0");
        var received = await subscriber.CollectAsync("roundtrip/qos0", MqttQos.AtMostOnce);

        await publisher.PublishAsync("roundtrip/qos0", ReadOnlyMemory<byte>.Empty, MqttQos.AtMostOnce).AsTask().WaitAsync(TestClients.Timeout);

        var message = await received.NextAsync();
        Assert.Equal(0, message.Payload.Length);
        Assert.Equal(MqttQos.AtMostOnce, message.Qos);
    }

    [Fact]
    public async Task Wildcard_filters_dispatch_each_message_to_the_handlers_whose_filter_matches()
    {
        await using var subscriber = await TestClients.ConnectAsync(Port, "wild");
        await using var publisher = await TestClients.ConnectAsync(Port, "wildpub");
        var results = await subscriber.CollectAsync("wild/+/results/#");
        var status = await subscriber.CollectAsync("wild/+/status");

        await publisher.PublishAsync("wild/pi-01/results/cam0", TestClients.Utf8("r1"), MqttQos.AtLeastOnce);
        await publisher.PublishAsync("wild/pi-02/status", TestClients.Utf8("s1"), MqttQos.AtLeastOnce);
        await publisher.PublishAsync("wild/pi-01/results", TestClients.Utf8("r2"), MqttQos.AtLeastOnce);

        Assert.Equal("r1", (await results.NextAsync()).Text());
        Assert.Equal("r2", (await results.NextAsync()).Text());
        var statusMessage = await status.NextAsync();
        Assert.Equal(("wild/pi-02/status", "s1"), (statusMessage.Topic, statusMessage.Text()));
        Assert.False(results.TryRead(out _));
        Assert.False(status.TryRead(out _));
    }

    [Fact]
    public async Task A_retained_message_reaches_a_subscriber_that_comes_later()
    {
        await using var publisher = await TestClients.ConnectAsync(Port, "retpub");
        await publisher.PublishAsync("retained/status", TestClients.Utf8("{\"state\":\"online\"}"), MqttQos.AtLeastOnce, retain: true);

        await using var subscriber = await TestClients.ConnectAsync(Port, "retsub");
        var message = await (await subscriber.CollectAsync("retained/#")).NextAsync();

        Assert.True(message.Retain);
        Assert.Equal("{\"state\":\"online\"}", message.Text());
    }

    [Fact]
    public async Task A_thousand_qos_1_publishes_in_flight_at_once_all_complete_and_all_arrive()
    {
        await using var subscriber = await TestClients.ConnectAsync(Port, "manysub");
        await using var publisher = await TestClients.ConnectAsync(Port, "manypub");
        var received = await subscriber.CollectAsync("many/+");

        var publishes = Enumerable.Range(0, 1000)
            .Select(i => publisher.PublishAsync($"many/{i % 7}", BitConverter.GetBytes(i), MqttQos.AtLeastOnce).AsTask())
            .ToArray();
        await Task.WhenAll(publishes).WaitAsync(TestClients.Timeout);

        var seen = new HashSet<int>();
        while (seen.Count < 1000)
        {
            seen.Add(BitConverter.ToInt32((await received.NextAsync()).Payload.Span));
        }

        Assert.Equal(Enumerable.Range(0, 1000), seen.Order());
    }

    [Fact]
    public async Task A_handler_that_throws_does_not_stop_the_next_messages()
    {
        await using var subscriber = await TestClients.ConnectAsync(Port, "throwsub");
        await using var publisher = await TestClients.ConnectAsync(Port, "throwpub");
        await subscriber.SubscribeAsync("throw/x", MqttQos.AtLeastOnce, (_, _) => throw new InvalidOperationException("handler bug"));
        var received = await subscriber.CollectAsync("throw/x");

        await publisher.PublishAsync("throw/x", TestClients.Utf8("1"), MqttQos.AtLeastOnce);
        await publisher.PublishAsync("throw/x", TestClients.Utf8("2"), MqttQos.AtLeastOnce);

        Assert.Equal("1", (await received.NextAsync()).Text());
        Assert.Equal("2", (await received.NextAsync()).Text());
    }

    [Fact]
    public async Task Messages_that_find_a_slow_handler_s_queue_full_are_counted_as_dropped_and_the_rest_delivered()
    {
        // Declared first, so disposed last: the subscriber's dispose ends a handler still waiting on them.
        using var entered = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        await using var subscriber = await TestClients.ConnectAsync(new MqttClientOptions
        {
            Host = "127.0.0.1", Port = Port, ClientId = TestClients.UniqueId("slowsub"), IncomingMessageCapacity = 2,
        });
        await using var publisher = await TestClients.ConnectAsync(Port, "slowpub");
        var handled = 0;
        await subscriber.SubscribeAsync("slow/x", MqttQos.AtLeastOnce, async (_, token) =>
        {
            entered.Release();
            await release.WaitAsync(token);
            Interlocked.Increment(ref handled);
        }).WaitAsync(TestClients.Timeout);

        // The handler holds the first message; the queue takes two more; the seven after them find it full.
        await publisher.PublishAsync("slow/x", TestClients.Utf8("0"), MqttQos.AtLeastOnce).AsTask().WaitAsync(TestClients.Timeout);
        await entered.WaitAsync(TestClients.Timeout);
        for (var i = 1; i < 10; i++)
        {
            await publisher.PublishAsync("slow/x", TestClients.Utf8($"{i}"), MqttQos.AtLeastOnce).AsTask().WaitAsync(TestClients.Timeout);
        }

        await WaitUntilAsync(() => subscriber.DroppedMessages == 7, () => $"{subscriber.DroppedMessages} message(s) counted as dropped, not 7");
        release.Release(10);
        await WaitUntilAsync(() => Volatile.Read(ref handled) == 3, () => $"{Volatile.Read(ref handled)} message(s) handled, not 3");
        Assert.Equal(7, subscriber.DroppedMessages);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> failure)
    {
        var deadline = DateTime.UtcNow + TestClients.Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure());
            await Task.Delay(10);
        }
    }
}
