using System.Text;
using System.Threading.Channels;

namespace EdgeAgent.Mqtt.Tests;

/// <summary>Clients for tests: unique ids, fast reconnects, and a subscriber that collects what it receives.</summary>
public static class TestClients
{
    /// <summary>The bound on every await in these tests.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static string UniqueId(string name) => $"{name}-{Guid.NewGuid():N}"[..Math.Min(name.Length + 13, 60)];

    public static MqttClientOptions Options(int port, string name) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        ClientId = UniqueId(name),
        ReconnectDelay = TimeSpan.FromMilliseconds(100),
        MaxReconnectDelay = TimeSpan.FromSeconds(1),
    };

    public static MqttClient Create(int port, string name) => new(Options(port, name));

    public static async Task<MqttClient> ConnectAsync(MqttClientOptions options)
    {
        var client = new MqttClient(options);
        client.Start();
        await client.WaitUntilConnectedAsync().WaitAsync(Timeout);
        return client;
    }

    public static Task<MqttClient> ConnectAsync(int port, string name) => ConnectAsync(Options(port, name));

    /// <summary>Subscribes <paramref name="filter"/> and returns a channel of everything that arrives on it.</summary>
    public static async Task<ChannelReader<MqttMessage>> CollectAsync(this MqttClient client, string filter, MqttQos qos = MqttQos.AtLeastOnce)
    {
        var received = Channel.CreateUnbounded<MqttMessage>();
        await client.SubscribeAsync(filter, qos, (message, token) => received.Writer.WriteAsync(message, token)).WaitAsync(Timeout);
        return received.Reader;
    }

    public static async Task<MqttMessage> NextAsync(this ChannelReader<MqttMessage> reader) =>
        await reader.ReadAsync().AsTask().WaitAsync(Timeout);

    public static string Text(this MqttMessage message) => Encoding.UTF8.GetString(message.Payload.Span);

    public static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
