using System.Text.Json;
using EdgeAgent.Mqtt;
using EdgeAgent.Protocol;

namespace EdgeCtl.Broker;

/// <summary>What one device has retained on the broker: its status and models payloads, raw and read.</summary>
internal sealed class DeviceSnapshot(string id)
{
    public string Id { get; } = id;

    public JsonElement? RawStatus { get; set; }

    public DeviceStatus? Status { get; set; }

    public JsonElement? RawModels { get; set; }

    public ModelsDocument? Models { get; set; }

    /// <summary>Why a payload could not be read, or null.</summary>
    public string? Problem { get; set; }
}

/// <summary>The devices' retained <c>status</c> and <c>models</c> topics, read once (all of them, or one device's).</summary>
internal static class FleetSnapshot
{
    public static async Task<IReadOnlyList<DeviceSnapshot>> ReadAsync(BrokerSession session, string? device, CancellationToken cancellationToken)
    {
        var devices = new SortedDictionary<string, DeviceSnapshot>(StringComparer.Ordinal);
        var level = device ?? "+";
        var prefix = session.Topics.Prefix + "/";
        void Collect(MqttMessage message, bool isStatus)
        {
            var id = message.Topic[prefix.Length..message.Topic.LastIndexOf('/')];
            if (!message.Retain || message.Payload.IsEmpty)
            {
                return;
            }

            var snapshot = devices.TryGetValue(id, out var known) ? known : devices[id] = new DeviceSnapshot(id);
            try
            {
                using var document = JsonDocument.Parse(message.Payload);
                if (isStatus)
                {
                    snapshot.RawStatus = document.RootElement.Clone();
                    snapshot.Status = document.RootElement.Deserialize(EdgeCtlJsonContext.Default.DeviceStatus);
                }
                else
                {
                    snapshot.RawModels = document.RootElement.Clone();
                    snapshot.Models = document.RootElement.Deserialize(UpdateStatusJsonContext.Default.ModelsDocument);
                }
            }
            catch (JsonException ex)
            {
                snapshot.Problem = $"{message.Topic} is not a {(isStatus ? "status" : "models")} payload: {ex.Message}";
            }
        }

        // The handlers run on the client's dispatch task; once the snapshot is taken, later messages are ignored.
        var taken = false;
        void Handle(MqttMessage message, bool isStatus)
        {
            lock (devices)
            {
                if (!taken)
                {
                    Collect(message, isStatus);
                }
            }
        }

        await session.SubscribeAsync($"{prefix}{level}/status", m => Handle(m, isStatus: true), cancellationToken).ConfigureAwait(false);
        await session.SubscribeAsync($"{prefix}{level}/models", m => Handle(m, isStatus: false), cancellationToken).ConfigureAwait(false);
        await session.SyncAsync(cancellationToken).ConfigureAwait(false);
        lock (devices)
        {
            taken = true;
            return [.. devices.Values];
        }
    }
}
