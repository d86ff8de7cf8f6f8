using System.Diagnostics;
using EdgeAgent.Daemon;
using EdgeAgent.Mqtt;
using EdgeAgent.Outbox;
using EdgeAgent.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Tests.Outbox;

/// <summary>
/// The daemon's result path as AgentService wires it: the outbox under a state directory (seq.json beside it), the
/// stream sink over it, and its publishing loop into an MQTT client with a stable id and a persistent session.
/// </summary>
internal sealed class PublishingOutbox : IAsyncDisposable
{
    public const string Device = "pi-01";

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _publishing;

    private PublishingOutbox(DurableOutbox outbox, MqttClient client)
    {
        Outbox = outbox;
        Client = client;
        Sink = new OutboxResultSink(outbox, Topics, Device, qos: 1);
        client.Start();
        _publishing = outbox.PublishAsync(client, _stop.Token);
    }

    public static Topics Topics { get; } = new("edge");

    public DurableOutbox Outbox { get; }

    public MqttClient Client { get; }

    public OutboxResultSink Sink { get; }

    public static PublishingOutbox Open(string stateDirectory, int port, string clientId)
    {
        var outbox = new DurableOutbox(
            new OutboxSettings { Directory = Path.Combine(stateDirectory, "outbox"), SequenceFile = Path.Combine(stateDirectory, "seq.json") },
            new RecordingOutboxObserver(),
            NullLogger.Instance,
            TimeProvider.System);
        outbox.Open();
        var client = new MqttClient(new MqttClientOptions
        {
            Host = "127.0.0.1",
            Port = port,
            ClientId = clientId,
            KeepAlive = TimeSpan.FromSeconds(5),
            ReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
        });
        return new PublishingOutbox(outbox, client);
    }

    /// <summary>Waits until the broker acknowledged every record; throws after <paramref name="timeout"/>, or with the loop's failure.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (Outbox.Depth > 0)
        {
            if (_publishing.IsCompleted)
            {
                await _publishing;
            }

            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"{Outbox.Depth} record(s) still unacknowledged after {timeout}; the client is {Client.State}: {Client.LastError?.Message}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Stops publishing, disconnects and closes the outbox, in the daemon's order.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _publishing;
        }
        catch (OperationCanceledException)
        {
        }

        await Client.DisposeAsync();
        await Outbox.DisposeAsync();
        _stop.Dispose();
    }
}
