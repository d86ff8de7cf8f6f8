namespace EdgeAgent.Mqtt;

/// <summary>The two readers of the callbacks' channels: acknowledgements, and received messages for the handlers.</summary>
public sealed partial class MqttClient
{
    private async Task DispatchEventsAsync()
    {
        var reader = _events.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var nativeEvent))
            {
                if (nativeEvent.Kind == NativeEventKind.Published)
                {
                    CompletePublish(nativeEvent.Mid, nativeEvent.Code);
                }
                else
                {
                    TaskCompletionSource<int>? subscribe;
                    lock (_gate)
                    {
                        _pendingSubscribes.Remove(nativeEvent.Mid, out subscribe);
                    }

                    subscribe?.TrySetResult(nativeEvent.Code);
                }
            }
        }
    }

    private void CompletePublish(int mid, int reasonCode)
    {
        PublishOperation? operation;
        lock (_gate)
        {
            _pendingPublishes.Remove(mid, out operation);
        }

        if (operation is null)
        {
            return;
        }

        _publishSlots.Release();
        if (reasonCode >= 128)
        {
            operation.SetException(new MqttReasonException(reasonCode, $"PUBLISH (message {mid})"));
        }
        else
        {
            operation.SetResult();
        }
    }

    private async Task DispatchMessagesAsync()
    {
        var reader = _messages.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var message))
            {
                foreach (var subscription in MatchingSubscriptions(message.Topic))
                {
                    try
                    {
                        await subscription.Handler(message, _stop.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !_stop.IsCancellationRequested)
                    {
                        Log.HandlerFailed(_logger, ex, subscription.Filter, message.Topic);
                    }
                }
            }
        }
    }

    private List<Subscription> MatchingSubscriptions(string topic)
    {
        var matching = new List<Subscription>(1);
        lock (_gate)
        {
            foreach (var subscription in _subscriptions)
            {
                if (TopicFilter.Matches(subscription.Filter, topic))
                {
                    matching.Add(subscription);
                }
            }
        }

        return matching;
    }
}
