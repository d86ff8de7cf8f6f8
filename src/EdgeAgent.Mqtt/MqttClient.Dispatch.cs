namespace EdgeAgent.Mqtt;

/// <summary>The two readers of the callbacks' channels: acknowledgements on a thread, received messages for the handlers on the pool.</summary>
public sealed partial class MqttClient
{
    /// <summary>From a callback: queue the event; the network thread wakes the dispatch thread when the loop call returns.</summary>
    private void PostEvent(NativeEvent nativeEvent)
    {
        _events.Writer.TryWrite(nativeEvent);
        _eventsPending = true;
    }

    /// <summary>
    /// Completes publishes and subscribes on a thread of its own, not the thread pool: an acknowledgement arrives every
    /// few microseconds under load, and a pool hop per batch cost more than the work (queueing, and the pool's
    /// workers spinning for the next item). A continuation that awaited a publish runs here, inline.
    /// </summary>
    private void DispatchEvents()
    {
        var reader = _events.Reader;
        try
        {
            while (true)
            {
                _eventsPosted.Reset();
                while (reader.TryRead(out var nativeEvent))
                {
                    try
                    {
                        Dispatch(nativeEvent);
                    }
                    catch (Exception ex)
                    {
                        // A continuation that ran inline threw: the thread must live on for every other acknowledgement.
                        Log.DispatchFailed(_logger, ex, _options.ClientId);
                    }
                }

                if (reader.Completion.IsCompleted)
                {
                    return;
                }

                _eventsPosted.Wait();
            }
        }
        finally
        {
            _eventsDispatched.TrySetResult();
        }
    }

    private void Dispatch(NativeEvent nativeEvent)
    {
        if (nativeEvent.Kind == NativeEventKind.Published)
        {
            CompletePublish(nativeEvent.Mid, nativeEvent.Code);
            return;
        }

        TaskCompletionSource<int>? subscribe;
        lock (_gate)
        {
            _pendingSubscribes.Remove(nativeEvent.Mid, out subscribe);
        }

        subscribe?.TrySetResult(nativeEvent.Code);
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
