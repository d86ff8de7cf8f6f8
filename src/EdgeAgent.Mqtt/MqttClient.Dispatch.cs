namespace EdgeAgent.Mqtt;

/// <summary>The two readers of the callbacks' channels: acknowledgements on a thread, received messages for the handlers on the pool.</summary>
public sealed partial class MqttClient
{
    /// <summary>From a callback: queue the event; the network thread wakes the dispatch thread after the loop call (see <see cref="WakeDispatch"/>).</summary>
    private void PostEvent(NativeEvent nativeEvent)
    {
        _events.Enqueue(nativeEvent);

        // Usually the network thread, but libmosquitto reports a QoS 0 message written by the publishing thread there.
        Interlocked.Increment(ref _eventsPosted);
    }

    /// <summary>
    /// After a loop call: wakes the dispatch thread when events wait and either a batch of them waits, few publishes
    /// are left ahead of the broker (so the publisher refills before libmosquitto's queue runs dry), or traffic paused
    /// (the call waited <paramref name="waitedMs"/> and brought none). Under load this wakes it once per batch instead
    /// of once per loop call, each wake a futex call and a context switch on a small device's two or four cores.
    /// </summary>
    private void WakeDispatch(long waitedMs)
    {
        var posted = Interlocked.Exchange(ref _eventsPosted, 0);
        _eventsWaiting += posted;
        if (_eventsWaiting == 0)
        {
            return;
        }

        var outstanding = _options.MaxPendingPublishes - _publishSlots.CurrentCount;
        if (_eventsWaiting >= DispatchBatch || outstanding <= DispatchBatch * 2 || (posted == 0 && waitedMs >= PauseMs))
        {
            _eventsWaiting = 0;
            _eventsReady.Set();
        }
    }

    /// <summary>
    /// Completes publishes and subscribes on a thread of its own, not the thread pool: an acknowledgement arrives every
    /// few microseconds under load, and a pool hop per batch cost more than the work (queueing, and the pool's
    /// workers spinning for the next item). A continuation that awaited a publish runs here, inline.
    /// </summary>
    private void DispatchEvents()
    {
        var batch = new NativeEvent[DispatchBatch * 2];
        try
        {
            while (true)
            {
                _eventsReady.Reset();
                while (TakeEvents(batch) is var count and > 0)
                {
                    // Newest first: a publisher that awaits its oldest publish (the outbox) then resumes once, finds
                    // the whole batch acknowledged, and takes it in one pass rather than one resumption per message.
                    for (var i = count - 1; i >= 0; i--)
                    {
                        try
                        {
                            Dispatch(batch[i]);
                        }
                        catch (Exception ex)
                        {
                            // A continuation that ran inline threw: the thread must live on for every other acknowledgement.
                            Log.DispatchFailed(_logger, ex, _options.ClientId);
                        }
                    }
                }

                if (Volatile.Read(ref _eventsEnded) && _events.IsEmpty)
                {
                    return;
                }

                _eventsReady.Wait();
            }
        }
        finally
        {
            _eventsDispatched.TrySetResult();
        }
    }

    private int TakeEvents(NativeEvent[] batch)
    {
        var count = 0;
        while (count < batch.Length && _events.TryDequeue(out var nativeEvent))
        {
            batch[count++] = nativeEvent;
        }

        return count;
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
