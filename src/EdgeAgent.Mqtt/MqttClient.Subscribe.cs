using EdgeAgent.Mqtt.Interop;

namespace EdgeAgent.Mqtt;

public sealed partial class MqttClient
{
    /// <summary>
    /// Subscribes <paramref name="filter"/> (with + and # wildcards) and runs <paramref name="handler"/>, one message at a
    /// time, for every message that matches it. While connected this completes on the broker's SUBACK; while not, at once,
    /// and the subscription is sent when the connection is up. The subscription is renewed whenever the broker has no session.
    /// </summary>
    /// <exception cref="ArgumentException">The filter is not a valid MQTT topic filter.</exception>
    /// <exception cref="MqttReasonException">The broker refused the subscription.</exception>
    public async Task SubscribeAsync(string filter, MqttQos qos, Func<MqttMessage, CancellationToken, ValueTask> handler, CancellationToken cancellationToken = default)
    {
        if (!TopicFilter.IsValidFilter(filter))
        {
            throw new ArgumentException($"'{filter}' is not a topic filter: '+' must fill a whole level and '#' the whole last level", nameof(filter));
        }

        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var subscription = new Subscription(filter, qos, handler);
        TaskCompletionSource<int>? acknowledged;
        lock (_gate)
        {
            _subscriptions.Add(subscription);
            acknowledged = _state == MqttConnectionState.Connected ? SendSubscribeLocked(subscription, awaitAck: true) : null;
        }

        if (acknowledged is null)
        {
            return;
        }

        var granted = await acknowledged.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (granted >= 128)
        {
            lock (_gate)
            {
                _subscriptions.Remove(subscription);
            }

            throw new MqttReasonException(granted, $"SUBSCRIBE {filter}");
        }
    }

    /// <summary>Sends SUBSCRIBE; caller holds <see cref="_gate"/>. Null when not sent (the connection just went down: it is resent on connect).</summary>
    private unsafe TaskCompletionSource<int>? SendSubscribeLocked(Subscription subscription, bool awaitAck)
    {
        int mid;
        var rc = Mosquitto.mosquitto_subscribe_v5(_handle, &mid, subscription.Filter, (int)subscription.Qos, 0, 0);
        if (rc == (int)MosquittoError.NoConnection)
        {
            return null;
        }

        MosquittoException.ThrowIfFailed(rc, $"mosquitto_subscribe_v5 ('{subscription.Filter}')");
        subscription.Sent = true;
        var acknowledged = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingSubscribes[mid] = acknowledged;
        if (!awaitAck)
        {
            var filter = subscription.Filter;
            _ = acknowledged.Task.ContinueWith(
                t =>
                {
                    if (t.IsCompletedSuccessfully && t.Result >= 128)
                    {
                        Log.SubscribeRefused(_logger, filter, MqttReasonException.ReasonText(t.Result));
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return acknowledged;
    }
}
