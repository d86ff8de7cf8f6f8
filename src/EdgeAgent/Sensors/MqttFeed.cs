using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using EdgeAgent.Mqtt;

namespace EdgeAgent.Sensors;

/// <summary>
/// The <c>mqtt</c> kind: readings that other devices publish. Each message on <paramref name="topic"/> (a filter,
/// wildcards allowed) is one sample: a JSON document with a number at each channel's <see cref="JsonPath"/>,
/// stamped when it arrives. Messages cannot wait for the broker's sake, so they are queued at once; the client
/// reconnects by itself, so a broker that goes away is not a lost sensor, just a pause. A message that is not JSON
/// or lacks a channel is an invalid sample.
/// </summary>
public sealed class MqttFeed : ISensorFeed
{
    private readonly MqttClientOptions _options;
    private readonly string _topic;
    private readonly JsonPath[] _paths;
    private readonly TimeProvider _time;
    private readonly Channel<(MqttMessage Message, DateTimeOffset Received)> _messages;
    private MqttClient? _client;
    private long _lost;

    public MqttFeed(MqttClientOptions options, string topic, IReadOnlyList<string> paths, int queue, TimeProvider time)
    {
        _options = options;
        _topic = topic;
        _paths = [.. paths.Select(p => new JsonPath(p))];
        _time = time;
        _messages = Channel.CreateBounded<(MqttMessage, DateTimeOffset)>(
            new BoundedChannelOptions(queue) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true, SingleWriter = true },
            _ => Interlocked.Increment(ref _lost));
    }

    public int Channels => _paths.Length;

    public string Description => $"mqtt {_topic} from {_options.Host}:{_options.Port}";

    public bool Blocking => false;

    /// <summary>Messages that found the queue full.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    public void Open()
    {
        if (_client is not null)
        {
            return;
        }

        _client = new MqttClient(_options, timeProvider: _time);
        _client.Start();
        try
        {
            // Not connected yet, this returns at once; the client subscribes when the connection is up, and again after each reconnect.
            _client.SubscribeAsync(_topic, MqttQos.AtMostOnce, (message, _) =>
            {
                _messages.Writer.TryWrite((message, _time.GetUtcNow()));
                return ValueTask.CompletedTask;
            }).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is ArgumentException or MqttReasonException)
        {
            throw new SensorUnavailableException($"{_topic}: {ex.Message}", ex);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<DateTimeOffset> ReadAsync(float[] values, CancellationToken cancellationToken)
    {
        var (message, received) = await _messages.Reader.ReadAsync(cancellationToken);
        Read(message, values);
        return received;
    }

    /// <summary>A message's reading at each channel's path, read from its payload as it lies.</summary>
    public void Read(MqttMessage message, Span<float> values)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            for (var i = 0; i < _paths.Length; i++)
            {
                values[i] = _paths[i].Read(message.Payload.Span);
            }
        }
        catch (JsonException ex)
        {
            throw new SensorValueException($"{message.Topic}: not JSON: {ex.Message}", ex);
        }
    }

    /// <summary>The client stays connected across a reopen: it reconnects by itself.</summary>
    public void Close()
    {
    }

    public void Dispose()
    {
        _client?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _client = null;
    }
}
