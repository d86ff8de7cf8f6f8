using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using EdgeAgent.Mqtt;
using EdgeCtl.Broker;

namespace EdgeCtl.Commands.Rollback;

/// <summary>What one device did with the rollback: the version it now serves, or why it refused.</summary>
internal sealed record RollbackOutcome(string Device, int? Version, string? Refusal);

/// <summary>
/// Follows each targeted device's events for one rollback command: <c>model_rolled_back</c> carrying the command's
/// <c>issued_at</c> (and the version it serves now), or <c>model_rejected</c> with "rollback refused" for the model. The
/// MQTT handlers only parse and queue; the wait owns the outcomes and prints one line per device.
/// </summary>
internal sealed class RollbackWaiter(BrokerSession session, string model, string issuedAt, IReadOnlyList<string> devices, TextWriter output)
{
    private readonly Dictionary<string, RollbackOutcome?> _outcomes = devices.ToDictionary(d => d, _ => (RollbackOutcome?)null, StringComparer.Ordinal);
    private readonly Channel<RollbackOutcome> _signals = Channel.CreateBounded<RollbackOutcome>(new BoundedChannelOptions(1024)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    });

    /// <summary>Each device's outcome, or null where none came.</summary>
    public IReadOnlyDictionary<string, RollbackOutcome?> Outcomes => _outcomes;

    /// <summary>Subscribes before the command is sent, so no answer is missed.</summary>
    public async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        foreach (var device in _outcomes.Keys)
        {
            await session.SubscribeAsync(session.Topics.Events(device), message => OnEvent(device, message), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Returns when every device answered, or when <paramref name="cancellationToken"/> fires (the deadline).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (_outcomes.Values.Any(o => o is null))
            {
                var outcome = await _signals.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (_outcomes[outcome.Device] is not null)
                {
                    continue;
                }

                _outcomes[outcome.Device] = outcome;
                output.WriteLine(outcome.Version is { } version
                    ? $"{outcome.Device}  rolled back: serving {model} v{version.ToString(CultureInfo.InvariantCulture)}"
                    : $"{outcome.Device}  refused: {outcome.Refusal}");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The deadline: the caller reports the devices that did not answer.
        }
    }

    private void OnEvent(string device, MqttMessage message)
    {
        try
        {
            using var document = JsonDocument.Parse(message.Payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || root.TryGetProperty("update_id", out _)
                || Text(root, "model") != model
                || Text(root, "reason") is not { } reason)
            {
                return;
            }

            var outcome = Text(root, "event") switch
            {
                "model_rolled_back" when Text(root, "issued_at") == issuedAt && root.TryGetProperty("version", out var version) && version.TryGetInt32(out var number)
                    => new RollbackOutcome(device, number, null),
                "model_rejected" when reason.StartsWith("rollback refused", StringComparison.Ordinal) => new RollbackOutcome(device, null, reason),
                _ => null,
            };
            if (outcome is not null)
            {
                _signals.Writer.TryWrite(outcome);
            }
        }
        catch (JsonException)
        {
            // Not an event this edgectl can read; the deadline still ends the wait.
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
