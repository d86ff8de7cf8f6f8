using System.Diagnostics;
using EdgeAgent.Mqtt;

namespace EdgeAgent.Tests.Outbox;

/// <summary>
/// Another client subscribed to every stream's results at QoS 1 with a persistent session (it reconnects by itself
/// after a broker restart and the broker keeps what it missed): each stream's seqs, in the order they arrived.
/// </summary>
internal sealed class ResultSubscriber : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<long>> _arrivals = new(StringComparer.Ordinal);
    private readonly HashSet<(string Stream, long Seq)> _distinct = [];

    private ResultSubscriber(MqttClient client) => _client = client;

    /// <summary>Distinct (stream, seq) pairs received so far.</summary>
    public int Distinct
    {
        get
        {
            lock (_gate)
            {
                return _distinct.Count;
            }
        }
    }

    public int ConnectAttempts => _client.ConnectAttempts;

    public long DroppedMessages => _client.DroppedMessages;

    public static async Task<ResultSubscriber> StartAsync(int port, TimeSpan timeout)
    {
        var client = new MqttClient(new MqttClientOptions
        {
            Host = "127.0.0.1",
            Port = port,
            ClientId = $"results-{Guid.NewGuid():N}"[..24],
            KeepAlive = TimeSpan.FromSeconds(5),
            ReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),

            // A restarted outbox sends faster than this subscriber's bookkeeping takes them in; the default 4,096
            // would drop (and count) some of a burst, and the tests need every message.
            IncomingMessageCapacity = 1_000_000,
        });
        var subscriber = new ResultSubscriber(client);
        try
        {
            client.Start();
            await client.WaitUntilConnectedAsync().WaitAsync(timeout);
            var filter = PublishingOutbox.Topics.Results(PublishingOutbox.Device, "+");
            await client.SubscribeAsync(filter, MqttQos.AtLeastOnce, subscriber.OnMessageAsync).WaitAsync(timeout);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return subscriber;
    }

    public bool Has(string stream, long seq)
    {
        lock (_gate)
        {
            return _distinct.Contains((stream, seq));
        }
    }

    /// <summary>Every seq of <paramref name="stream"/> as it arrived, duplicates included.</summary>
    public long[] ArrivalsOf(string stream)
    {
        lock (_gate)
        {
            return _arrivals.TryGetValue(stream, out var seqs) ? [.. seqs] : [];
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; throws naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout} for {what}; {Distinct} distinct result(s) arrived, {DroppedMessages} dropped by the subscriber, which is {_client.State}");
            }

            await Task.Delay(20);
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private ValueTask OnMessageAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        var stream = message.Topic[(message.Topic.LastIndexOf('/') + 1)..];
        var seq = ResultPayload.Seq(message.Payload);
        lock (_gate)
        {
            if (!_arrivals.TryGetValue(stream, out var seqs))
            {
                _arrivals[stream] = seqs = [];
            }

            seqs.Add(seq);
            _distinct.Add((stream, seq));
        }

        return ValueTask.CompletedTask;
    }
}
