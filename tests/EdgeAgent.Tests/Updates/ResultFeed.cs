using System.Text.Json;
using System.Threading.Channels;
using EdgeAgent.Mqtt;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Updates;

/// <summary>A device's results on one topic, parsed, in arrival order, to wait on.</summary>
internal sealed class ResultFeed : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly Channel<JsonElement> _results = Channel.CreateUnbounded<JsonElement>();

    private ResultFeed(MqttClient client) => _client = client;

    public static async Task<ResultFeed> StartAsync(int port, string topic, TimeSpan wait)
    {
        var client = new MqttClient(new MqttClientOptions { Port = port, ClientId = $"results-{Guid.NewGuid():N}"[..20] });
        client.Start();
        await client.WaitUntilConnectedAsync().WaitAsync(wait);
        var feed = new ResultFeed(client);
        await client.SubscribeAsync(topic, MqttQos.AtLeastOnce, (message, _) =>
        {
            using var result = JsonDocument.Parse(message.Payload);
            feed._results.Writer.TryWrite(result.RootElement.Clone());
            return ValueTask.CompletedTask;
        }).WaitAsync(wait);
        return feed;
    }

    /// <summary>The next result that <paramref name="matches"/>; <paramref name="context"/> explains a timeout.</summary>
    public Task<JsonElement> NextAsync(Func<JsonElement, bool> matches, TimeSpan wait, Func<string> context) =>
        _results.Reader.FirstAsync(matches, wait, context);

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
