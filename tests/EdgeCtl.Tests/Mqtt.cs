using System.Text;
using System.Threading.Channels;
using EdgeAgent.Mqtt;

namespace EdgeCtl.Tests;

/// <summary>MQTT clients the tests use beside edgectl: to retain what devices would, and to play devices.</summary>
internal static class Mqtt
{
    /// <summary>The bound on every await in these tests.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<MqttClient> ConnectAsync(int port, string name)
    {
        var client = new MqttClient(new MqttClientOptions
        {
            Host = "127.0.0.1",
            Port = port,
            ClientId = $"{name}-{Guid.NewGuid():N}"[..Math.Min(name.Length + 13, 60)],
            SessionExpiry = TimeSpan.Zero,
            ReconnectDelay = TimeSpan.FromMilliseconds(100),
        });
        client.Start();
        await client.WaitUntilConnectedAsync().WaitAsync(Timeout);
        return client;
    }

    public static Task RetainAsync(this MqttClient client, string topic, string payload) =>
        client.PublishAsync(topic, Encoding.UTF8.GetBytes(payload), MqttQos.AtLeastOnce, retain: true).AsTask().WaitAsync(Timeout);

    /// <summary>Subscribes <paramref name="filter"/> and returns a channel of everything that arrives on it.</summary>
    public static async Task<ChannelReader<MqttMessage>> CollectAsync(this MqttClient client, string filter)
    {
        var received = Channel.CreateUnbounded<MqttMessage>();
        await client.SubscribeAsync(filter, MqttQos.AtLeastOnce, (message, token) => received.Writer.WriteAsync(message, token)).WaitAsync(Timeout);
        return received.Reader;
    }

    public static string Text(this MqttMessage message) => Encoding.UTF8.GetString(message.Payload.Span);
}
