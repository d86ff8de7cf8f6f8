using System.Text.Json;
using System.Threading.Channels;
using EdgeAgent.Mqtt;
using EdgeAgent.Protocol;
using EdgeCtl.Broker;

namespace EdgeCtl.Commands.Push;

/// <summary>
/// Follows each targeted device's models topic and events for one update: shows its progress, resends to it the
/// chunks it lists as missing, and ends when every device committed, rejected or rolled back, or at the deadline.
/// The MQTT handlers only parse and queue; one loop here owns the devices' state and does the resending.
/// </summary>
internal sealed class UpdateWaiter
{
    /// <summary>How soon the same missing ranges are resent again: the device lists them again after 5 s without a chunk.</summary>
    private static readonly TimeSpan s_resendAgain = TimeSpan.FromSeconds(5);

    private readonly BrokerSession _session;
    private readonly SignedUpdate _update;
    private readonly UpdateSender _sender;
    private readonly IProgressView _view;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, DeviceProgress> _devices;
    private readonly Channel<UpdateSignal> _signals = Channel.CreateBounded<UpdateSignal>(new BoundedChannelOptions(4096)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    });

    public UpdateWaiter(BrokerSession session, SignedUpdate update, UpdateSender sender, IReadOnlyList<string> devices, IProgressView view, TimeProvider time)
    {
        _session = session;
        _update = update;
        _sender = sender;
        _view = view;
        _time = time;
        _devices = devices.ToDictionary(d => d, d => new DeviceProgress(d), StringComparer.Ordinal);
    }

    public IReadOnlyCollection<DeviceProgress> Devices => _devices.Values;

    /// <summary>Subscribes before anything is sent, so no report of this update is missed.</summary>
    public async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        foreach (var device in _devices.Keys)
        {
            await _session.SubscribeAsync(_session.Topics.Models(device), message => OnModels(device, message), cancellationToken).ConfigureAwait(false);
            await _session.SubscribeAsync(_session.Topics.Events(device), message => OnEvent(device, message), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Returns when every device reached a final state, or when <paramref name="cancellationToken"/> fires (the deadline).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (_devices.Values.Any(d => !d.IsFinal))
            {
                var signal = await _signals.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                await HandleAsync(signal, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The deadline: the caller reports the devices still pending.
        }
    }

    private async Task HandleAsync(UpdateSignal signal, CancellationToken cancellationToken)
    {
        var device = _devices[signal.Device];
        if (device.IsFinal)
        {
            return;
        }

        if (signal.FinalState is { } final)
        {
            device.State = final;
            device.Error = signal.Reason ?? device.Error;
        }
        else if (signal.Report is { } report)
        {
            device.State = report.State;
            device.Progress = report.Progress;
            device.Error = report.Error;
            if (!device.IsFinal && report.Missing is { Count: > 0 } missing)
            {
                await ResendAsync(device, MissingRanges.Indexes(missing, _update.ChunkCount), cancellationToken).ConfigureAwait(false);
            }
        }

        _view.Show(device);
    }

    private async Task ResendAsync(DeviceProgress device, IReadOnlyList<int> indexes, CancellationToken cancellationToken)
    {
        var described = MissingRanges.Describe(indexes);
        var now = _time.GetUtcNow();
        if (indexes.Count == 0 || (described == device.LastResent && now - device.LastResentAt < s_resendAgain))
        {
            return;
        }

        device.LastResent = described;
        device.LastResentAt = now;
        _view.Note($"{device.Device}  resending chunk{(indexes.Count == 1 ? string.Empty : "s")} {described} ({indexes.Count} of {_update.ChunkCount})");
        await _sender.ResendAsync(device.Device, indexes, cancellationToken).ConfigureAwait(false);
    }

    private void OnModels(string device, MqttMessage message)
    {
        if (message.Payload.IsEmpty)
        {
            return;
        }

        try
        {
            var report = JsonSerializer.Deserialize(message.Payload.Span, UpdateStatusJsonContext.Default.ModelsDocument);
            if (report?.Models.GetValueOrDefault(_update.Manifest.Model.Name)?.Update is { } update && update.UpdateId == _update.UpdateId)
            {
                _signals.Writer.TryWrite(new UpdateSignal(device, update, null, null));
            }
        }
        catch (JsonException)
        {
            // Another agent version's report, or garbage: the events and the deadline still end the wait.
        }
    }

    private void OnEvent(string device, MqttMessage message)
    {
        try
        {
            using var document = JsonDocument.Parse(message.Payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("update_id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() != _update.UpdateId
                || !root.TryGetProperty("event", out var name) || name.ValueKind != JsonValueKind.String)
            {
                return;
            }

            var final = name.GetString() switch
            {
                "model_committed" => UpdateStates.Committed,
                "model_rejected" => UpdateStates.Rejected,
                "model_rolled_back" => UpdateStates.RolledBack,
                _ => null,
            };
            if (final is not null)
            {
                var reason = root.TryGetProperty("reason", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
                _signals.Writer.TryWrite(new UpdateSignal(device, null, final, reason));
            }
        }
        catch (JsonException)
        {
            // Not an event this edgectl can read; the models topic and the deadline still end the wait.
        }
    }
}
