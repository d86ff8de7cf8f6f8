using System.Net;
using System.Net.Sockets;

namespace EdgeAgent.Mqtt.Tests;

/// <summary>
/// Acknowledgements reach the dispatch thread a batch at a time while many publishes are outstanding; these tests
/// hold them to a broker that stops acknowledging short of a batch.
/// </summary>
public sealed class AcknowledgementBatchTests
{
    [Fact]
    public async Task Acknowledgements_short_of_a_batch_complete_their_publishes_once_the_broker_goes_quiet()
    {
        const int acknowledged = 5;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var broker = Task.Run(() => ServeAsync(listener, acknowledged, stop.Token));
        await using var client = await TestClients.ConnectAsync(TestClients.Options(((IPEndPoint)listener.LocalEndpoint).Port, "batch"));

        // Far more outstanding than a batch, so only the pause in traffic hands the five acknowledgements over.
        var publishes = Enumerable.Range(0, 200).Select(i => client.PublishAsync("batch/x", TestClients.Utf8($"{i}"), MqttQos.AtLeastOnce).AsTask()).ToList();

        await Task.WhenAll(publishes.Take(acknowledged)).WaitAsync(TestClients.Timeout);
        await Task.Delay(200);
        Assert.All(publishes.Skip(acknowledged), p => Assert.False(p.IsCompleted));
        await stop.CancelAsync();
        await broker.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>An MQTT 5 broker of the least kind: accepts one client, acknowledges its first few QoS 1 publishes, then answers only pings.</summary>
    private static async Task ServeAsync(TcpListener listener, int acknowledge, CancellationToken cancellationToken)
    {
        using var connection = await listener.AcceptTcpClientAsync(cancellationToken);
        var stream = connection.GetStream();
        var (type, _) = await ReadPacketAsync(stream, cancellationToken);
        Assert.Equal(0x10, type & 0xF0);
        await stream.WriteAsync(new byte[] { 0x20, 0x03, 0x00, 0x00, 0x00 }, cancellationToken);
        while (true)
        {
            var (header, body) = await ReadPacketAsync(stream, cancellationToken);
            if ((header & 0xF0) == 0xC0)
            {
                await stream.WriteAsync(new byte[] { 0xD0, 0x00 }, cancellationToken);
            }
            else if ((header & 0xF0) == 0x30 && ((header >> 1) & 3) == 1 && acknowledge-- > 0)
            {
                var topicLength = (body[0] << 8) | body[1];
                await stream.WriteAsync(new byte[] { 0x40, 0x02, body[2 + topicLength], body[3 + topicLength] }, cancellationToken);
            }
        }
    }

    private static async Task<(byte Header, byte[] Body)> ReadPacketAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var one = new byte[1];
        await stream.ReadExactlyAsync(one, cancellationToken);
        var header = one[0];
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            await stream.ReadExactlyAsync(one, cancellationToken);
            length |= (one[0] & 0x7F) << shift;
            if ((one[0] & 0x80) == 0)
            {
                break;
            }
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return (header, body);
    }
}
