using System.Text;
using EdgeAgent.Mqtt;
using EdgeAgent.Sensors;
using EdgeAgent.Testing;
using EdgeAgent.Tests.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Tests.Sensors;

/// <summary>The mqtt kind against a real mosquitto: readings published by another client become samples.</summary>
public sealed class MqttFeedTests : IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private MosquittoBroker? _broker;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    [Fact]
    public async Task Each_message_is_a_sample_read_at_the_channels_json_paths_and_a_bad_one_is_skipped_and_counted()
    {
        var options = new MqttClientOptions { Port = _broker!.Port, ClientId = "edge-agent-pi-01-room" };
        var feed = new MqttFeed(options, "sensors/+/reading", ["temperature", "$.humidity[1]", "pressure.hpa"], 64, TimeProvider.System);
        await using var source = new SensorSource("room", feed, new SensorSettings(), new RecordingObserver(), NullLogger.Instance, TimeProvider.System);
        source.Start();
        await using var publisher = new MqttClient(new MqttClientOptions { Port = _broker.Port, ClientId = "test-publisher" });
        publisher.Start();
        await publisher.WaitUntilConnectedAsync().WaitAsync(s_wait);

        // Until the feed's subscription is in place, readings published go nowhere: publish until one arrives.
        var reader = source.Buffer.Reader;
        using (var limit = new CancellationTokenSource(s_wait))
        {
            while (!reader.TryPeek(out _))
            {
                await publisher.PublishAsync("sensors/a/reading", Encoding.UTF8.GetBytes("""{"temperature":21.5,"humidity":[40,"55.5"],"pressure":{"hpa":1013}}"""), MqttQos.AtLeastOnce, retain: false, limit.Token);
                await Task.Delay(100, limit.Token);
            }
        }

        Assert.True(reader.TryRead(out var first));
        Assert.Equal([21.5f, 55.5f, 1013f], first.Values);
        first.Release();
        while (reader.TryRead(out var more))
        {
            more.Release();
        }

        await publisher.PublishAsync("sensors/b/reading", Encoding.UTF8.GetBytes("not json"), MqttQos.AtLeastOnce, retain: false);
        await publisher.PublishAsync("sensors/b/reading", Encoding.UTF8.GetBytes("""{"temperature":20}"""), MqttQos.AtLeastOnce, retain: false);
        await publisher.PublishAsync("sensors/b/reading", Encoding.UTF8.GetBytes("""{"temperature":-3,"humidity":[1,2],"pressure":{"hpa":990.5}}"""), MqttQos.AtLeastOnce, retain: false);
        using var timeout = new CancellationTokenSource(s_wait);
        Assert.True(await reader.WaitToReadAsync(timeout.Token));
        Assert.True(reader.TryRead(out var last));
        Assert.Equal([-3f, 2f, 990.5f], last.Values);
        last.Release();
        Assert.Equal(2, source.SamplesInvalid);
    }

    [Fact]
    public void A_path_that_finds_no_number_says_what_it_found()
    {
        Assert.Equal("'a.b' is \"warm\", not a number", Assert.Throws<SensorValueException>(() => new JsonPath("a.b").Read("""{"a":{"b":"warm"},"c":[1]}"""u8)).Message);
        Assert.Equal("'$.c[3]': no '3' in [1]", Assert.Throws<SensorValueException>(() => new JsonPath("$.c[3]").Read("""{"a":{"b":"warm"},"c":[1]}"""u8)).Message);
        Assert.Equal("'a.x': no 'x' in {\"b\":\"warm\"}", Assert.Throws<SensorValueException>(() => new JsonPath("a.x").Read("""{"a":{"b":"warm"},"c":[1]}"""u8)).Message);
    }

    [Fact]
    public void Reading_a_message_allocates_nothing()
    {
        using var feed = new MqttFeed(new MqttClientOptions { Port = _broker!.Port, ClientId = "edge-agent-pi-01-room" }, "sensors/+/reading", ["temperature", "$.humidity[1]", "pressure.hpa"], 4, TimeProvider.System);
        var message = new MqttMessage("sensors/a/reading", Encoding.UTF8.GetBytes("""{"temperature":21.5,"humidity":[40,"55.5"],"pressure":{"hpa":1013}}"""), MqttQos.AtMostOnce, retain: false);
        var values = new float[3];

        var bytes = Allocations.PerWindow(() => feed.Read(message, values));

        Assert.Equal([21.5f, 55.5f, 1013f], values);
        Assert.Equal(0, bytes);
    }

    public Task DisposeAsync()
    {
        _broker?.Dispose();
        return Task.CompletedTask;
    }
}
