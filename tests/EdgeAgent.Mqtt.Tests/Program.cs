using System.Globalization;

namespace EdgeAgent.Mqtt.Tests;

/// <summary>
/// The test assembly run as a program: <c>status-publisher PORT CLIENT_ID TOPIC</c> connects with a retained
/// "offline" Last Will on TOPIC, publishes a retained "online" there, prints "ready" and waits to be killed.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["status-publisher", var port, var clientId, var topic])
        {
            await Console.Error.WriteLineAsync("usage: status-publisher PORT CLIENT_ID TOPIC");
            return 2;
        }

        var client = new MqttClient(new MqttClientOptions
        {
            Host = "127.0.0.1",
            Port = int.Parse(port, CultureInfo.InvariantCulture),
            ClientId = clientId,
            KeepAlive = TimeSpan.FromSeconds(5),
            Will = new MqttWill { Topic = topic, Payload = TestClients.Utf8("offline"), Qos = MqttQos.AtLeastOnce, Retain = true },
        });
        client.Start();
        await client.WaitUntilConnectedAsync().WaitAsync(TestClients.Timeout);
        await client.PublishAsync(topic, TestClients.Utf8("online"), MqttQos.AtLeastOnce, retain: true).AsTask().WaitAsync(TestClients.Timeout);
        Console.WriteLine("ready");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }
}
