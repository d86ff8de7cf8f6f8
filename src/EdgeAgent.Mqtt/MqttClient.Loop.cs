using EdgeAgent.Mqtt.Interop;
using Polly;
using Polly.Retry;

namespace EdgeAgent.Mqtt;

/// <summary>The network thread: connect with backoff, serve the connection until it is lost, again, until stopped.</summary>
public sealed partial class MqttClient
{
    // How long one mosquitto_loop call may wait for traffic: it bounds how quickly the thread notices a stop request.
    private const int LoopTimeoutMs = 100;

    // Acknowledgements the dispatch thread may be left to take at once while the publisher is well ahead of them.
    private const int DispatchBatch = 32;

    // A loop call that waited this long and brought no acknowledgement means the broker paused: hand over what waits.
    private const int PauseMs = 10;
    private const int ReasonSuccess = 0;
    private const int ReasonBadUserNameOrPassword = 134;
    private const int ReasonNotAuthorized = 135;
    private const int ReasonBadAuthenticationMethod = 140;

    // Written by the callbacks, which run on this same thread.
    private int _connackReason = -1;
    private bool _sessionPresent;
    private string? _lastNativeError;
    private int _eventsPosted;
    private int _eventsWaiting;

    private int _consecutiveFailures;
    private int _consecutiveAuthFailures;

    private ResiliencePipeline BuildReconnectPipeline(TimeProvider timeProvider) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<MqttConnectException>(e => e.WillRetry),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.ReconnectDelay,
                MaxDelay = _options.MaxReconnectDelay,
                OnRetry = args =>
                {
                    Log.Reconnecting(_logger, Endpoint, args.RetryDelay);
                    return default;
                },
            })
            .Build();

    private void RunNetworkLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                _reconnect.Execute(static (client, token) => client.ConnectOnce(token), this, _stop.Token);
                ServeConnection();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (MqttConnectException ex)
        {
            Log.GaveUp(_logger, Endpoint, ex.Message);
            SetState(MqttConnectionState.Failed, ex);
        }
        catch (Exception ex)
        {
            Log.LoopFailed(_logger, ex, _options.ClientId);
            SetState(MqttConnectionState.Failed, ex);
        }
        finally
        {
            _loopExited.TrySetResult();
        }
    }

    /// <summary>One attempt: CONNECT, then run the loop until the CONNACK, a failure or the timeout.</summary>
    private void ConnectOnce(CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _connectAttempts);
        SetState(MqttConnectionState.Connecting, null);
        SetLogCallback(connected: false);
        _connackReason = -1;
        _lastNativeError = null;
        var rc = Mosquitto.mosquitto_connect_bind_v5(_handle, _options.Host, _options.Port, (int)_options.KeepAlive.TotalSeconds, null, _connectProperties);
        if (rc != 0)
        {
            Failed(MosquittoException.Create(rc, $"connect to {Endpoint}", _lastNativeError));
        }

        var deadline = Environment.TickCount64 + (long)_options.ConnectTimeout.TotalMilliseconds;
        while (_connackReason < 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rc = LoopOnce();
            if (_connackReason >= 0)
            {
                break;
            }

            if (rc != 0)
            {
                Failed(MosquittoException.Create(rc, $"waiting for the CONNACK from {Endpoint}", _lastNativeError ?? "the server closed the connection or answered something that is not an MQTT CONNACK (is it an MQTT broker?)"));
            }

            if (Environment.TickCount64 > deadline)
            {
                Mosquitto.mosquitto_disconnect_v5(_handle, ReasonSuccess, 0);
                Failed(new TimeoutException($"no CONNACK from {Endpoint} within {_options.ConnectTimeout.TotalSeconds:0.#} s (is it an MQTT broker?)"));
            }
        }

        if (_connackReason != ReasonSuccess)
        {
            var refused = new MqttReasonException(_connackReason, $"CONNECT as {_options.ClientId}");
            var authFailure = _connackReason is ReasonBadUserNameOrPassword or ReasonNotAuthorized or ReasonBadAuthenticationMethod;
            _consecutiveAuthFailures = authFailure ? _consecutiveAuthFailures + 1 : 0;
            Failed(refused);
        }

        _consecutiveFailures = 0;
        _consecutiveAuthFailures = 0;
        SetLogCallback(connected: true);
        lock (_gate)
        {
            _state = MqttConnectionState.Connected;
            _lastError = null;
            if (!_sessionPresent)
            {
                foreach (var subscription in _subscriptions)
                {
                    subscription.Sent = false;
                }
            }

            foreach (var subscription in _subscriptions)
            {
                if (!subscription.Sent)
                {
                    SendSubscribeLocked(subscription, awaitAck: false);
                }
            }

            _connected.TrySetResult();
        }

        Log.Connected(_logger, Endpoint, _options.ClientId, _sessionPresent, attempt);
        return;

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        void Failed(Exception reason)
        {
            _consecutiveFailures++;
            var willRetry = (_options.MaxConnectAttempts is not { } max || _consecutiveFailures < max)
                && _consecutiveAuthFailures < _options.MaxAuthenticationFailures;
            var error = new MqttConnectException(Endpoint, _consecutiveFailures, willRetry, reason);
            Volatile.Write(ref _lastError, error);
            Log.ConnectFailed(_logger, error.Message);
            throw error;
        }
    }

    /// <summary>Runs the loop until the connection is lost (returns) or a stop is requested (disconnects cleanly, returns).</summary>
    private void ServeConnection()
    {
        while (!_stop.IsCancellationRequested)
        {
            var rc = LoopOnce();
            if (rc != 0)
            {
                var error = MosquittoException.Create(rc, $"the connection to {Endpoint}", _lastNativeError);
                Log.ConnectionLost(_logger, Endpoint, error.Message);
                SetState(MqttConnectionState.Disconnected, error);
                return;
            }
        }

        DisconnectCleanly();
    }

    /// <summary>Sends DISCONNECT with reason 0 and lets the loop write it; bounded, since the broker may be gone.</summary>
    private void DisconnectCleanly()
    {
        if (Mosquitto.mosquitto_disconnect_v5(_handle, ReasonSuccess, 0) == 0)
        {
            var deadline = Environment.TickCount64 + 2000;
            while (LoopOnce() == 0 && Environment.TickCount64 < deadline)
            {
            }

            Log.Disconnected(_logger, Endpoint);
        }

        SetState(MqttConnectionState.Stopped, null);
    }

    /// <summary>One mosquitto_loop call; then the dispatch thread is woken, if it is time, for the events its callbacks posted.</summary>
    private int LoopOnce()
    {
        var started = Environment.TickCount64;
        var rc = Mosquitto.mosquitto_loop(_handle, LoopTimeoutMs, 1);
        WakeDispatch(Environment.TickCount64 - started);
        return rc;
    }

    private void SetState(MqttConnectionState state, Exception? error)
    {
        lock (_gate)
        {
            if (_state == MqttConnectionState.Stopped)
            {
                return;
            }

            if (_state == MqttConnectionState.Connected && state != MqttConnectionState.Connected)
            {
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            _state = state;
            if (error is not null)
            {
                _lastError = error;
            }

            if (state == MqttConnectionState.Failed && error is not null)
            {
                _connected.TrySetException(error);
            }
        }
    }
}
