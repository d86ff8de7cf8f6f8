using System.Collections.Concurrent;
using System.Text;
using EdgeAgent.Mqtt;
using EdgeAgent.Protocol;

namespace EdgeCtl.Broker;

/// <summary>
/// One connection for one verb. A broker that cannot be reached or refuses us becomes exit code 4. <see cref="SyncAsync"/>
/// lets a verb know it has seen every retained message of the filters it subscribed before.
/// </summary>
internal sealed class BrokerSession : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly string _syncTopic;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _syncs = new(StringComparer.Ordinal);
    private bool _syncSubscribed;

    private BrokerSession(MqttClient client, BrokerSettings settings, string clientId)
    {
        _client = client;
        Settings = settings;
        _syncTopic = $"{settings.Prefix}/edgectl/{clientId}/sync";
    }

    public BrokerSettings Settings { get; }

    public Topics Topics => Settings.Topics;

    /// <exception cref="EdgeCtlException">The broker could not be reached or refused us (exit code 4).</exception>
    public static async Task<BrokerSession> ConnectAsync(BrokerSettings settings, CancellationToken cancellationToken)
    {
        var options = settings.ClientOptions();
        MqttClient client;
        try
        {
            client = new MqttClient(options);
        }
        catch (MosquittoException ex)
        {
            throw new EdgeCtlException(ExitCodes.BrokerUnreachable, $"cannot set up the connection to {settings.Address}: {ex.Message}", ex);
        }

        try
        {
            client.Start();
            await client.WaitUntilConnectedAsync(cancellationToken).ConfigureAwait(false);
            return new BrokerSession(client, settings, options.ClientId);
        }
        catch (MqttConnectException ex)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            var reason = ex.ReasonCode is { } code ? $"the broker refused us ({ex.InnerException!.Message}, reason {code})" : ex.InnerException?.Message ?? ex.Message;
            throw new EdgeCtlException(ExitCodes.BrokerUnreachable, $"cannot connect to the broker at {settings.Address}: {reason}", ex);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Subscribes at QoS 1; the handler runs for each message in the order the broker sent them, retained ones first.</summary>
    public async Task SubscribeAsync(string filter, Action<MqttMessage> handler, CancellationToken cancellationToken)
    {
        try
        {
            await _client.SubscribeAsync(
                filter,
                MqttQos.AtLeastOnce,
                (message, _) =>
                {
                    handler(message);
                    return ValueTask.CompletedTask;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (MqttReasonException ex)
        {
            throw new EdgeCtlException(ExitCodes.BrokerUnreachable, $"the broker at {Settings.Address} refused the subscription to {filter}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Completes once every message the broker queued for us before this call has been handled: the broker sends the
    /// retained messages of a subscription before anything published after its SUBACK, so a message of our own
    /// round-tripped after them arrives last.
    /// </summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        if (!_syncSubscribed)
        {
            await SubscribeAsync(_syncTopic, OnSync, cancellationToken).ConfigureAwait(false);
            _syncSubscribed = true;
        }

        var token = Guid.NewGuid().ToString("N");
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _syncs[token] = arrived;
        await PublishAsync(_syncTopic, Encoding.UTF8.GetBytes(token), retain: false, cancellationToken).ConfigureAwait(false);
        await arrived.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void OnSync(MqttMessage message)
    {
        if (_syncs.TryRemove(Encoding.UTF8.GetString(message.Payload.Span), out var arrived))
        {
            arrived.TrySetResult();
        }
    }

    /// <summary>Publishes at QoS 1 and completes when the broker acknowledged it.</summary>
    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        try
        {
            await _client.PublishAsync(topic, payload, MqttQos.AtLeastOnce, retain, cancellationToken).ConfigureAwait(false);
        }
        catch (MqttReasonException ex)
        {
            throw new EdgeCtlException(ExitCodes.BrokerUnreachable, $"the broker at {Settings.Address} refused the message to {topic}: {ex.Message}", ex);
        }
        catch (MosquittoException ex)
        {
            throw new EdgeCtlException(ExitCodes.BrokerUnreachable, $"cannot publish {payload.Length} bytes to {topic} on {Settings.Address}: {ex.Message}", ex);
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
