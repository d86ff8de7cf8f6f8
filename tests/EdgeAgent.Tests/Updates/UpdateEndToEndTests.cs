using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using EdgeAgent.Mqtt;
using EdgeAgent.Protocol;
using EdgeAgent.Testing;
using EdgeAgent.Tests.Configuration;
using EdgeAgent.Tests.Daemon;

namespace EdgeAgent.Tests.Updates;

/// <summary>
/// <c>edge-agent run</c> against a real mosquitto, updated over MQTT as edgectl does it: the real int8 classifier
/// pushed in signed chunks is committed and named by the results; a push signed by a stranger is refused.
/// </summary>
public sealed class UpdateEndToEndTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(90);
    private readonly AgentLayout _layout = new();
    private readonly ECDsa _key = SigningKeys.Generate();
    private MosquittoBroker? _broker;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    [Fact]
    public async Task The_real_classifier_pushed_over_mqtt_is_committed_and_a_stranger_signed_push_is_refused()
    {
        TrustOpsKey();
        await using var client = await BrokerClient.ConnectAsync(_broker!.Port, s_wait);
        var messages = await SubscribeAsync(client);
        await using var agent = AgentProcess.Start(_layout.Write(), new Dictionary<string, string>
        {
            ["EDGEAGENT__Mqtt__Port"] = _broker.Port.ToString(CultureInfo.InvariantCulture),
            ["EDGEAGENT__Streams__0__MaxFps"] = "10",
            ["EDGEAGENT__Models__Probation__Seconds"] = "2",
            ["EDGEAGENT__Models__Probation__MinInferences"] = "5",
            ["EDGEAGENT__Models__Probation__MaxLatencyFactor"] = "4",
        });
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(TestPaths.Shared("mobilenetv2-int8.onnx"))));
        var models = await NextAsync(messages, "edge/pi-01/models", agent, m => m.GetProperty("models").TryGetProperty("classifier", out _));
        var active = models.GetProperty("models").GetProperty("classifier").GetProperty("active");
        Assert.Equal((3, sha256), (active.GetProperty("version").GetInt32(), active.GetProperty("sha256").GetString()));

        using (var stranger = SigningKeys.Generate())
        {
            await PushAsync(client, "e2e-stranger", 4, stranger);
            var refused = await NextAsync(messages, "edge/pi-01/events", agent, e => e.GetProperty("event").GetString() == "model_rejected");
            Assert.Equal("e2e-stranger", refused.GetProperty("update_id").GetString());
            Assert.Contains("is not trusted", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(3, (await NextAsync(messages, "edge/pi-01/results/cam0", agent, _ => true)).GetProperty("model").GetProperty("version").GetInt32());

        await PushAsync(client, "e2e-4", 4, _key);
        var committed = await NextAsync(messages, "edge/pi-01/models", agent, m => Update(m)?.GetProperty("state").GetString() is "committed" or "rejected" or "rolled_back");
        Assert.Equal("committed", Update(committed)!.Value.GetProperty("state").GetString());
        var model = (await NextAsync(messages, "edge/pi-01/results/cam0", agent, r => r.GetProperty("model").GetProperty("version").GetInt32() == 4)).GetProperty("model");
        Assert.Equal(sha256, model.GetProperty("sha256").GetString());
        Assert.Equal(0, await agent.TerminateAsync(s_wait));
    }

    [Fact]
    public async Task Sigkill_during_probation_restarts_on_the_committed_version_and_says_so()
    {
        TrustOpsKey();
        await using var client = await BrokerClient.ConnectAsync(_broker!.Port, s_wait);
        var messages = await SubscribeAsync(client);
        var environment = new Dictionary<string, string>
        {
            ["EDGEAGENT__Mqtt__Port"] = _broker.Port.ToString(CultureInfo.InvariantCulture),
            ["EDGEAGENT__Streams__0__MaxFps"] = "10",
            ["EDGEAGENT__Models__Probation__Seconds"] = "3600",
            ["EDGEAGENT__Models__Probation__MaxLatencyFactor"] = "4",
        };
        await using (var first = AgentProcess.Start(_layout.Write(), environment))
        {
            await NextAsync(messages, "edge/pi-01/models", first, m => m.GetProperty("models").TryGetProperty("classifier", out _));
            await PushAsync(client, "e2e-4", 4, _key);
            await NextAsync(messages, "edge/pi-01/models", first, m => Update(m)?.GetProperty("state").GetString() == "probation");
            await NextAsync(messages, "edge/pi-01/results/cam0", first, r => r.GetProperty("model").GetProperty("version").GetInt32() == 4);
            first.Kill();
        }

        await using var second = AgentProcess.Start(_layout.Write(), environment);
        var rolledBack = await NextAsync(messages, "edge/pi-01/events", second, e => e.GetProperty("event").GetString() == "model_rolled_back");
        Assert.Equal(4, rolledBack.GetProperty("version").GetInt32());
        Assert.Contains("version 4 was on probation when the agent stopped; serving the committed version 3", rolledBack.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var models = await NextAsync(messages, "edge/pi-01/models", second, m => !m.GetProperty("models").GetProperty("classifier").TryGetProperty("update", out _));
        Assert.Equal(3, models.GetProperty("models").GetProperty("classifier").GetProperty("active").GetProperty("version").GetInt32());
        // Results the killed process had queued (version 4) go out first from the outbox; then version 3 serves.
        await NextAsync(messages, "edge/pi-01/results/cam0", second, r => r.GetProperty("model").GetProperty("version").GetInt32() == 3);
        Assert.Equal(0, await second.TerminateAsync(s_wait));
    }

    public Task DisposeAsync()
    {
        _broker?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _key.Dispose();
        _layout.Dispose();
    }

    private static JsonElement? Update(JsonElement models) =>
        models.GetProperty("models").TryGetProperty("classifier", out var classifier) && classifier.TryGetProperty("update", out var update) && update.GetProperty("update_id").GetString() == "e2e-4"
            ? update
            : null;

    /// <summary>What edgectl push does: the bundle of the real classifier as <paramref name="version"/>, the signed offer, 64 KiB chunks, done.</summary>
    private async Task PushAsync(MqttClient client, string updateId, int version, ECDsa key)
    {
        var modelDirectory = Path.Combine(_layout.Root, "models", "classifier", "3");
        var descriptor = SignedUpdate.Descriptor(modelDirectory);
        descriptor["version"] = version;
        var files = new List<BundleFile>
        {
            new("model.onnx", File.ReadAllBytes(TestPaths.Shared("mobilenetv2-int8.onnx"))),
            new("model.json", Encoding.UTF8.GetBytes(descriptor.ToJsonString())),
            new("labels.txt", File.ReadAllBytes(Path.Combine(modelDirectory, "labels.txt"))),
        };
        var bundle = ModelBundle.Write(files);
        const int chunkSize = 64 * 1024;
        var manifest = SignedUpdate.Manifest(updateId, SignedUpdate.Device("pi-01"), descriptor, bundle, chunkSize, key);
        await client.PublishAsync("edge/pi-01/cmd/model/offer", Encoding.UTF8.GetBytes(manifest.ToJsonString()), MqttQos.AtLeastOnce);
        foreach (var (index, payload) in SignedUpdate.Chunks(bundle, chunkSize))
        {
            await client.PublishAsync($"edge/pi-01/cmd/model/chunk/{updateId}/{index}", payload, MqttQos.AtLeastOnce);
        }

        await client.PublishAsync($"edge/pi-01/cmd/model/done/{updateId}", Array.Empty<byte>(), MqttQos.AtLeastOnce);
    }

    /// <summary>Trusts the test's signing key as ops.pub in the agent's trusted-keys folder.</summary>
    private void TrustOpsKey()
    {
        var keys = Directory.CreateDirectory(Path.Combine(_layout.Root, "keys")).FullName;
        File.WriteAllText(Path.Combine(keys, "ops.pub"), SigningKeys.PublicPem(_key));
        _layout.Config["Models"]!["TrustedKeysPath"] = keys;
    }

    /// <summary>
    /// Everything the agent publishes, in arrival order per topic: the order between topics is not the agent's to
    /// keep (events leave through the outbox, the retained models status directly), so a wait on one topic must not
    /// consume another's messages.
    /// </summary>
    private static async Task<ConcurrentDictionary<string, Channel<MqttMessage>>> SubscribeAsync(MqttClient client)
    {
        var messages = new ConcurrentDictionary<string, Channel<MqttMessage>>(StringComparer.Ordinal);
        await client.SubscribeAsync("edge/pi-01/#", MqttQos.AtLeastOnce, (message, _) =>
        {
            Topic(messages, message.Topic).Writer.TryWrite(message);
            return ValueTask.CompletedTask;
        });
        return messages;
    }

    private static Channel<MqttMessage> Topic(ConcurrentDictionary<string, Channel<MqttMessage>> messages, string topic) =>
        messages.GetOrAdd(topic, _ => Channel.CreateUnbounded<MqttMessage>());

    private static async Task<JsonElement> NextAsync(ConcurrentDictionary<string, Channel<MqttMessage>> messages, string topic, AgentProcess agent, Func<JsonElement, bool> matches)
    {
        var message = await Topic(messages, topic).Reader.FirstAsync(
            m => matches(JsonDocument.Parse(m.Payload.ToArray()).RootElement),
            s_wait,
            () => $"nothing on {topic}; edge-agent printed:\n{agent.Output}");
        return JsonDocument.Parse(message.Payload.ToArray()).RootElement;
    }
}
