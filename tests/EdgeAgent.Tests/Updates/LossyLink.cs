using System.Collections.Concurrent;
using EdgeAgent.Mqtt;

namespace EdgeAgent.Tests.Updates;

/// <summary>
/// A lossy link between an operator and one device on the same broker: the device's agent runs under its own topic
/// prefix, and the link carries what edgectl publishes for the device across to it, losing the first copy of the
/// chunks it was told to drop, and carries the device's status, models and events back (retained ones retained).
/// A chunk edgectl sends again, after the device listed it as missing, crosses.
/// </summary>
internal sealed class LossyLink : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly string _operatorPrefix;
    private readonly string _devicePrefix;
    private readonly IReadOnlySet<int> _dropOnce;
    private readonly ConcurrentDictionary<string, byte> _dropped = new(StringComparer.Ordinal);
    private int _chunksCarried;

    private LossyLink(MqttClient client, string operatorPrefix, string devicePrefix, IReadOnlySet<int> dropOnce)
    {
        _client = client;
        _operatorPrefix = operatorPrefix;
        _devicePrefix = devicePrefix;
        _dropOnce = dropOnce;
    }

    /// <summary>The chunk topics (operator side) whose first copy was lost.</summary>
    public IReadOnlyCollection<string> Dropped => [.. _dropped.Keys];

    public int ChunksCarried => Volatile.Read(ref _chunksCarried);

    public static async Task<LossyLink> StartAsync(int port, string device, string operatorPrefix, string devicePrefix, IReadOnlySet<int> dropOnce, TimeSpan wait)
    {
        var client = new MqttClient(new MqttClientOptions { Port = port, ClientId = $"link-{Guid.NewGuid():N}"[..20] });
        client.Start();
        await client.WaitUntilConnectedAsync().WaitAsync(wait);
        var link = new LossyLink(client, operatorPrefix, devicePrefix, dropOnce);
        await client.SubscribeAsync($"{operatorPrefix}/{device}/cmd/#", MqttQos.AtLeastOnce, link.ToDeviceAsync).WaitAsync(wait);
        foreach (var topic in new[] { "status", "models", "events" })
        {
            await client.SubscribeAsync($"{devicePrefix}/{device}/{topic}", MqttQos.AtLeastOnce, link.ToOperatorAsync).WaitAsync(wait);
        }

        return link;
    }

    private ValueTask ToDeviceAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        var levels = message.Topic.Split('/');
        if (levels is [_, _, "cmd", "model", "chunk", _, var index] && int.TryParse(index, out var chunk))
        {
            if (_dropOnce.Contains(chunk) && _dropped.TryAdd(message.Topic, 0))
            {
                return ValueTask.CompletedTask;
            }

            Interlocked.Increment(ref _chunksCarried);
        }

        return _client.PublishAsync(_devicePrefix + message.Topic[_operatorPrefix.Length..], message.Payload, MqttQos.AtLeastOnce, retain: false, cancellationToken);
    }

    private ValueTask ToOperatorAsync(MqttMessage message, CancellationToken cancellationToken) =>
        _client.PublishAsync(_operatorPrefix + message.Topic[_devicePrefix.Length..], message.Payload, MqttQos.AtLeastOnce, message.Retain, cancellationToken);

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
