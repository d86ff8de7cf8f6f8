using EdgeAgent.Mqtt;

namespace EdgeAgent.Tests.Daemon;

/// <summary>A test's own MQTT client on the test's broker: a unique id, connected before it is handed over.</summary>
internal static class BrokerClient
{
    public static async Task<MqttClient> ConnectAsync(int port, TimeSpan wait)
    {
        var client = new MqttClient(new MqttClientOptions { Port = port, ClientId = $"test-{Guid.NewGuid():N}"[..20] });
        client.Start();
        try
        {
            await client.WaitUntilConnectedAsync().WaitAsync(wait);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return client;
    }
}
