using System.Collections.Concurrent;
using System.Threading.Channels;
using EdgeAgent.Mqtt.Handles;
using EdgeAgent.Mqtt.Interop;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace EdgeAgent.Mqtt;

/// <summary>
/// An MQTT 5 client over libmosquitto. <see cref="Start"/> returns at once; a network thread of its own connects,
/// reconnects with capped exponential backoff and jitter for ever, and runs libmosquitto's callbacks, which only copy
/// what they get into bounded channels. A dispatch thread completes publishes; a dispatch task runs subscription handlers.
/// </summary>
public sealed partial class MqttClient : IAsyncDisposable, IMqttPublisher
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(15);

    private readonly MqttClientOptions _options;
    private readonly ILogger _logger;
    private readonly MosquittoClientHandle _handle;
    private readonly MosquittoPropertyListHandle _connectProperties;
    private readonly ResiliencePipeline _reconnect;
    // Lock-free: under load the network thread adds an acknowledgement every few microseconds while the dispatch
    // thread takes them, and a channel's lock between the two cost a futex and spinning per acknowledgement. It is
    // bounded by the publish slots: every event answers a publish that holds one, or a subscribe.
    private readonly ConcurrentQueue<NativeEvent> _events = new();
    private readonly Channel<MqttMessage> _messages;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _loopExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _eventsDispatched = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Not spinning: the dispatch thread would burn one of a small device's cores between acknowledgements.
    private readonly ManualResetEventSlim _eventsReady = new(initialState: false, spinCount: 0);
    private readonly Lock _gate = new();
    private readonly Dictionary<int, PublishOperation> _pendingPublishes = [];
    private readonly Dictionary<int, TaskCompletionSource<int>> _pendingSubscribes = [];
    private readonly List<Subscription> _subscriptions = [];
    private readonly SemaphoreSlim _publishSlots;
    private readonly PublishOperationPool _operations;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _dispatch = Task.CompletedTask;
    private MqttConnectionState _state = MqttConnectionState.Disconnected;
    private Exception? _lastError;
    private bool _started;
    private bool _eventsEnded;
    private int _disposed;
    private long _droppedMessages;
    private int _connectAttempts;

    public MqttClient(MqttClientOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        Endpoint = $"{(options.Tls is null ? "mqtt" : "mqtts")}://{options.Host}:{options.Port}";
        _publishSlots = new SemaphoreSlim(options.MaxPendingPublishes, options.MaxPendingPublishes);
        _operations = new PublishOperationPool(options.MaxPendingPublishes);

        // Wait, not DropWrite: only then does TryWrite say false when the channel is full (DropWrite says true and
        // drops), so that OnMessage can count and log each message it could not hand over.
        _messages = Channel.CreateBounded<MqttMessage>(new BoundedChannelOptions(options.IncomingMessageCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _reconnect = BuildReconnectPipeline(timeProvider ?? TimeProvider.System);

        _connectProperties = MosquittoPropertyListHandle.ForConnect((uint)options.SessionExpiry.TotalSeconds);
        try
        {
            _handle = MosquittoClientHandle.Create(options.ClientId, cleanStart: false, this);
            Configure();
        }
        catch
        {
            _handle?.Dispose();
            _connectProperties.Dispose();
            throw;
        }
    }

    /// <summary>"mqtt://host:port", or "mqtts://host:port" with TLS.</summary>
    public string Endpoint { get; }

    public MqttConnectionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <inheritdoc />
    public bool IsConnected => State == MqttConnectionState.Connected;

    /// <summary>The last failure to connect or the reason the connection was lost; null once connected.</summary>
    public Exception? LastError => Volatile.Read(ref _lastError);

    /// <summary>Connection attempts so far, successful or not.</summary>
    public int ConnectAttempts => Volatile.Read(ref _connectAttempts);

    /// <summary>Received messages dropped because <see cref="MqttClientOptions.IncomingMessageCapacity"/> were already waiting.</summary>
    public long DroppedMessages => Interlocked.Read(ref _droppedMessages);

    /// <summary>Starts the network thread and returns at once; the broker may be down, the client connects when it can.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_gate)
        {
            if (_started)
            {
                return;
            }

            _started = true;
        }

        _dispatch = Task.WhenAll(_eventsDispatched.Task, Task.Run(DispatchMessagesAsync, CancellationToken.None));
        new Thread(DispatchEvents) { IsBackground = true, Name = $"mqtt acks {_options.ClientId}" }.Start();
        new Thread(RunNetworkLoop) { IsBackground = true, Name = $"mqtt {_options.ClientId}" }.Start();
    }

    /// <summary>
    /// Completes when the client is connected (at once if it is). Throws <see cref="MqttConnectException"/> once the client
    /// has given up, and <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken = default)
    {
        Task connected;
        lock (_gate)
        {
            connected = _connected.Task;
        }

        return connected.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Sends DISCONNECT (so the broker discards the Will), stops the network thread and releases the native client.
    /// Publishes still awaiting an acknowledgement fail with <see cref="OperationCanceledException"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        bool started;
        lock (_gate)
        {
            started = _started;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        var loopStopped = true;
        if (started)
        {
            loopStopped = await _loopExited.Task.WaitAsync(s_stopTimeout).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default).ConfigureAwait(false);
        }

        Volatile.Write(ref _eventsEnded, true);
        _eventsReady.Set();
        _messages.Writer.TryComplete();
        await _dispatch.ConfigureAwait(false);
        FailPending(new OperationCanceledException($"the MQTT client {_options.ClientId} stopped before the broker acknowledged the message"));
        lock (_gate)
        {
            _state = MqttConnectionState.Stopped;
            _connected.TrySetException(new ObjectDisposedException(nameof(MqttClient)));
        }

        if (loopStopped)
        {
            _handle.Dispose();
            _connectProperties.Dispose();
            _eventsReady.Dispose();
        }
        else
        {
            // The thread is stuck in a blocking connect: freeing the client under it would crash the process.
            Log.LoopDidNotStop(_logger, _options.ClientId, s_stopTimeout);
        }

        _stop.Dispose();
    }

    private unsafe void Configure()
    {
        MosquittoException.ThrowIfFailed(Mosquitto.mosquitto_int_option(_handle, Mosquitto.OptProtocolVersion, Mosquitto.ProtocolV5), "mosquitto_int_option (MQTT 5)");
        MosquittoException.ThrowIfFailed(Mosquitto.mosquitto_int_option(_handle, Mosquitto.OptTcpNoDelay, 1), "mosquitto_int_option (TCP_NODELAY)");

        // Our own thread runs mosquitto_loop, so the library must lock for the publishing threads itself.
        MosquittoException.ThrowIfFailed(Mosquitto.mosquitto_threaded_set(_handle, true), "mosquitto_threaded_set");
        if (_options.Username is { } username)
        {
            var password = _options.PasswordFile is { } file ? File.ReadAllText(file).TrimEnd('\r', '\n') : null;
            MosquittoException.ThrowIfFailed(Mosquitto.mosquitto_username_pw_set(_handle, username, password), "mosquitto_username_pw_set");
        }

        if (_options.Tls is { } tls)
        {
            MosquittoException.ThrowIfFailed(
                Mosquitto.mosquitto_tls_set(_handle, tls.CaFile, null, tls.CertFile, tls.KeyFile, &NoKeyPassword),
                "mosquitto_tls_set",
                $"CA {tls.CaFile}, certificate {tls.CertFile ?? "(none)"}, key {tls.KeyFile ?? "(none)"}");
        }

        if (_options.Will is { } will)
        {
            fixed (byte* payload = will.Payload.Span)
            {
                MosquittoException.ThrowIfFailed(
                    Mosquitto.mosquitto_will_set(_handle, will.Topic, will.Payload.Length, payload, (int)will.Qos, will.Retain),
                    $"mosquitto_will_set (topic '{will.Topic}')");
            }
        }

        SetCallbacks();
    }

    private void FailPending(Exception error)
    {
        List<PublishOperation> publishes;
        List<TaskCompletionSource<int>> subscribes;
        lock (_gate)
        {
            publishes = [.. _pendingPublishes.Values];
            subscribes = [.. _pendingSubscribes.Values];
            _pendingPublishes.Clear();
            _pendingSubscribes.Clear();
        }

        foreach (var operation in publishes)
        {
            operation.SetException(error);
        }

        foreach (var subscribe in subscribes)
        {
            subscribe.TrySetException(error);
        }
    }
}
