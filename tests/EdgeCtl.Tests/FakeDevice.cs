using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Mqtt;
using EdgeAgent.Protocol;

namespace EdgeCtl.Tests;

/// <summary>What a fake device does once it has an update's chunks.</summary>
internal enum FakeBehaviour
{
    /// <summary>Lists <see cref="FakeDevice.DropOnce"/> as missing after the first done, then commits.</summary>
    Commit,

    /// <summary>Rejects the update with <see cref="FakeDevice.RejectReason"/>.</summary>
    Reject,

    /// <summary>Receives but never answers.</summary>
    Silent,
}

/// <summary>
/// A device as CONTRACT.md section 7 has it answer, over a real broker: retains an online status with its groups,
/// takes offers and chunks on its own and its groups' topics, verifies the signature with the key it trusts, and after
/// <c>done</c> reports on its retained models topic and its events.
/// </summary>
internal sealed class FakeDevice : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly ECDsa _trusted;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, byte[]> _chunks = [];
    private readonly HashSet<int> _dropped = [];

    private FakeDevice(MqttClient client, string id, ECDsa trusted, FakeBehaviour behaviour)
    {
        _client = client;
        Id = id;
        _trusted = trusted;
        Behaviour = behaviour;
    }

    public string Id { get; }

    public FakeBehaviour Behaviour { get; }

    /// <summary>Chunk indexes dropped the first time they arrive in each update, so the first done lists them as missing.</summary>
    public IReadOnlySet<int> DropOnce { get; init; } = new HashSet<int>();

    public string RejectReason { get; init; } = "validation sample testsrc-pattern.bin: expected top-1 0, got 3";

    public UpdateManifest? Manifest { get; private set; }

    public bool SignatureValid { get; private set; }

    public IReadOnlyList<BundleFile>? Bundle { get; private set; }

    public int DoneCount { get; private set; }

    /// <summary>Chunk messages that arrived on the device's own topic (resends) rather than the group's.</summary>
    public int ChunksOnDeviceTopic { get; private set; }

    public static async Task<FakeDevice> StartAsync(int port, string id, string[] groups, ECDsa trusted, FakeBehaviour behaviour, IReadOnlySet<int>? dropOnce = null)
    {
        var client = await Mqtt.ConnectAsync(port, id);
        var device = new FakeDevice(client, id, trusted, behaviour) { DropOnce = dropOnce ?? new HashSet<int>() };
        await client.RetainAsync($"edge/{id}/status", JsonSerializer.Serialize(new JsonObject
        {
            ["state"] = "online",
            ["agent_version"] = "0.1.0",
            ["groups"] = new JsonArray([.. groups.Select(g => JsonValue.Create(g))]),
            ["providers"] = new JsonArray("cpu"),
            ["streams"] = new JsonArray("cam0"),
        }));
        await client.SubscribeAsync($"edge/{id}/cmd/model/#", MqttQos.AtLeastOnce, device.OnCommandAsync).WaitAsync(Mqtt.Timeout);
        foreach (var group in groups)
        {
            await client.SubscribeAsync($"edge/group/{group}/cmd/model/#", MqttQos.AtLeastOnce, device.OnCommandAsync).WaitAsync(Mqtt.Timeout);
        }

        return device;
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private async ValueTask OnCommandAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (message.Payload.IsEmpty)
        {
            return;
        }

        var levels = message.Topic.Split('/');
        var command = Array.IndexOf(levels, "model") + 1;
        switch (levels[command])
        {
            case "offer":
                var document = JsonNode.Parse(message.Payload.Span)!.AsObject();
                lock (_gate)
                {
                    Manifest = document.Deserialize(ProtocolJsonContext.Default.UpdateManifest);
                    SignatureValid = ManifestSigning.Verify(document, _trusted);
                    _chunks.Clear();
                    _dropped.Clear();
                }

                break;
            case "chunk":
                lock (_gate)
                {
                    var index = int.Parse(levels[command + 2], System.Globalization.CultureInfo.InvariantCulture);
                    ChunksOnDeviceTopic += levels[1] == Id ? 1 : 0;
                    if (levels[command + 1] == Manifest?.UpdateId && !(DropOnce.Contains(index) && _dropped.Add(index)))
                    {
                        _chunks[index] = message.Payload.ToArray();
                    }
                }

                break;
            case "done":
                await OnDoneAsync();
                break;
        }
    }

    private async Task OnDoneAsync()
    {
        UpdateManifest manifest;
        int[] missing;
        lock (_gate)
        {
            DoneCount++;
            manifest = Manifest!;
            missing = [.. Enumerable.Range(0, manifest.ChunkCount).Where(i => !_chunks.ContainsKey(i))];
        }

        if (Behaviour == FakeBehaviour.Silent)
        {
            return;
        }

        if (missing.Length > 0)
        {
            var ranges = new JsonArray([.. missing.Select(i => new JsonArray(i, i))]);
            await ReportAsync(manifest, "receiving", 1.0 - ((double)missing.Length / manifest.ChunkCount), ranges, error: null);
            return;
        }

        byte[] bundle;
        lock (_gate)
        {
            bundle = [.. Enumerable.Range(0, manifest.ChunkCount).SelectMany(i => _chunks[i])];
        }

        var problem = bundle.Length != manifest.Size ? $"size {bundle.Length}, manifest says {manifest.Size}"
            : Convert.ToHexStringLower(SHA256.HashData(bundle)) != manifest.Sha256 ? "sha256 mismatch"
            : !SignatureValid ? "bad signature"
            : Behaviour == FakeBehaviour.Reject ? RejectReason
            : null;
        if (problem is null)
        {
            Bundle = ModelBundle.Read(new MemoryStream(bundle), long.MaxValue);
        }

        await ReportAsync(manifest, problem is null ? "committed" : "rejected", 1.0, [], problem);
        await PublishAsync($"edge/{Id}/events", new JsonObject
        {
            ["seq"] = 1,
            ["event"] = problem is null ? "model_committed" : "model_rejected",
            ["update_id"] = manifest.UpdateId,
            ["reason"] = problem,
        }, retain: false);
    }

    /// <summary>Publishes what the daemon's <see cref="ModelsDocument"/> holds: the device, each model's versions with their sha256, the update, the time.</summary>
    private Task ReportAsync(UpdateManifest manifest, string state, double progress, JsonArray missing, string? error) =>
        PublishAsync($"edge/{Id}/models", new JsonObject
        {
            ["device"] = Id,
            ["models"] = new JsonObject
            {
                [manifest.Model.Name] = new JsonObject
                {
                    ["active"] = state == "committed"
                        ? new JsonObject { ["version"] = manifest.Model.Version, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Bundle!.Single(f => f.Name == "model.onnx").Content)) }
                        : new JsonObject { ["version"] = 1, ["sha256"] = new string('0', 64) },
                    ["update"] = new JsonObject
                    {
                        ["update_id"] = manifest.UpdateId,
                        ["version"] = manifest.Model.Version,
                        ["state"] = state,
                        ["progress"] = progress,
                        ["missing"] = missing,
                        ["error"] = error,
                    },
                },
            },
            ["ts"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        }, retain: true);

    private Task PublishAsync(string topic, JsonObject payload, bool retain) =>
        _client.PublishAsync(topic, Encoding.UTF8.GetBytes(payload.ToJsonString()), MqttQos.AtLeastOnce, retain).AsTask().WaitAsync(Mqtt.Timeout);
}
