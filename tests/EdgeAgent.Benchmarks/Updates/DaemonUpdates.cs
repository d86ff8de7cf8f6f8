using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Mqtt;
using EdgeAgent.Protocol;
using EdgeAgent.Testing;

namespace EdgeAgent.Benchmarks.Updates;

/// <summary>One push to the daemon: transfer rate of the chunks and the peer's, and offer to activation.</summary>
internal sealed record PushResult(int Version, int BundleBytes, double TransferMBps, double PeerMBps, double OfferToActivationMs);

/// <summary>
/// Pushes the signed classifier to the real daemon (<c>dotnet EdgeAgent.dll run</c>) over a local mosquitto, one
/// version after another, each committed before the next. The transfer runs from the first chunk published to the
/// daemon's <c>model_received</c> event (every chunk in staging and the bundle's sha256 checked; an event, not the
/// models topic, whose superseded documents are skipped); activation is the daemon's
/// <c>model_activated</c> event, so the figure includes verification, unpacking, validation and the swap. The peer
/// is <c>mosquitto_pub -q 1 -f</c> sending the same bundle as one message to the same broker, timed from its start
/// to the arrival at a subscriber here.
/// </summary>
internal sealed class DaemonUpdates : IAsyncDisposable
{
    private const string Device = "bench";
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(120);
    private static readonly Topics s_topics = new("edge");

    private readonly MosquittoBroker _broker;
    private readonly DirectoryInfo _root;
    private readonly ECDsa _key = SigningKeys.Generate();
    private readonly MqttClient _client;
    private readonly Process _agent;
    private readonly Lock _gate = new();
    private readonly List<(long At, string Topic, string Payload)> _seen = [];

    private DaemonUpdates(MosquittoBroker broker, string classifierRoot)
    {
        _broker = broker;
        _root = Directory.CreateTempSubdirectory("edge-agent-bench-updates-");
        var keys = Directory.CreateDirectory(Path.Combine(_root.FullName, "keys")).FullName;
        File.WriteAllText(Path.Combine(keys, "bench.pub"), SigningKeys.PublicPem(_key));
        var config = Path.Combine(_root.FullName, "edge-agent.json");
        File.WriteAllText(config, Config(broker.Port, classifierRoot, keys, _root.FullName));
        _client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "bench-updates" });
        _agent = new Process { StartInfo = AgentStart(config) };
    }

    public static async Task<DaemonUpdates> StartAsync(MosquittoBroker broker, string classifierRoot)
    {
        var run = new DaemonUpdates(broker, classifierRoot);
        run._client.Start();
        await run._client.WaitUntilConnectedAsync();
        // Not edge/#: the bench's own chunks would come back to it and load the machine it measures.
        foreach (var topic in new[] { s_topics.Models(Device), s_topics.Events(Device), s_topics.Results(Device, "cam0") })
        {
            await run._client.SubscribeAsync(topic, MqttQos.AtLeastOnce, run.OnMessageAsync);
        }

        await run._client.SubscribeAsync("bench/peer/#", MqttQos.AtLeastOnce, run.OnMessageAsync);
        run._agent.Start();
        run._agent.BeginOutputReadLine();
        run._agent.BeginErrorReadLine();
        await run.WaitForAsync(0, m => m.Topic.StartsWith(s_topics.Results(Device, "cam0"), StringComparison.Ordinal), "the first result");
        return run;
    }

    public async Task<PushResult> PushAsync(string classifierRoot, int version)
    {
        var push = ClassifierPush.Create(classifierRoot, version, Device, _key);
        var offered = Stopwatch.GetTimestamp();
        await _client.PublishAsync(s_topics.Offer(Device), push.Offer, MqttQos.AtLeastOnce);
        var firstChunk = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, push.ChunkCount).Select(i => _client.PublishAsync(s_topics.Chunk(Device, push.UpdateId, i), push.Chunk(i), MqttQos.AtLeastOnce).AsTask()));
        await _client.PublishAsync(s_topics.Done(Device, push.UpdateId), push.Done(), MqttQos.AtLeastOnce);

        var received = await WaitForAsync(offered, m => IsEvent(m, "model_received", push.UpdateId), "model_received");
        var activated = await WaitForAsync(offered, m => IsEvent(m, "model_activated", push.UpdateId), "model_activated");
        var ended = await WaitForAsync(offered, m => UpdateState(m, push.UpdateId) is { } state && UpdateStates.IsFinal(state), "the update to end");
        if (UpdateState(ended, push.UpdateId) != UpdateStates.Committed)
        {
            throw new InvalidOperationException($"update {push.UpdateId} to version {version} did not commit: {ended.Payload}");
        }

        var peer = await PeerAsync(push.Bundle, version);
        var megabytes = push.Bundle.Length / 1e6;
        return new PushResult(
            version,
            push.Bundle.Length,
            megabytes / Stopwatch.GetElapsedTime(firstChunk, received.At).TotalSeconds,
            megabytes / peer.TotalSeconds,
            Stopwatch.GetElapsedTime(offered, activated.At).TotalMilliseconds);
    }

    private async Task<TimeSpan> PeerAsync(byte[] bundle, int version)
    {
        var file = Path.Combine(_root.FullName, "bundle.tar");
        await File.WriteAllBytesAsync(file, bundle);
        var topic = string.Create(CultureInfo.InvariantCulture, $"bench/peer/{version}");
        var start = new ProcessStartInfo("mosquitto_pub") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", _broker.Port.ToString(CultureInfo.InvariantCulture), "-q", "1", "-t", topic, "-f", file })
        {
            start.ArgumentList.Add(argument);
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto_pub did not start: ./build.sh installs mosquitto-clients");
        var arrived = await WaitForAsync(started, m => m.Topic == topic, "mosquitto_pub's message");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
        }

        return Stopwatch.GetElapsedTime(started, arrived.At);
    }

    private ValueTask OnMessageAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        var at = Stopwatch.GetTimestamp();
        // The peer's payload is the bundle: only its arrival matters.
        var payload = message.Topic.StartsWith("bench/", StringComparison.Ordinal) ? string.Empty : Encoding.UTF8.GetString(message.Payload.Span);
        lock (_gate)
        {
            _seen.Add((at, message.Topic, payload));
        }

        return ValueTask.CompletedTask;
    }

    private async Task<(long At, string Topic, string Payload)> WaitForAsync(long since, Func<(long At, string Topic, string Payload), bool> match, string what)
    {
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < s_limit)
        {
            lock (_gate)
            {
                foreach (var message in _seen)
                {
                    if (message.At >= since && match(message))
                    {
                        return message;
                    }
                }
            }

            if (_agent.HasExited)
            {
                throw new InvalidOperationException($"edge-agent exited with {_agent.ExitCode} while the bench waited for {what}");
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"no {what} within {s_limit}");
    }

    private static bool IsEvent((long At, string Topic, string Payload) message, string name, string updateId) =>
        message.Topic == s_topics.Events(Device) && message.Payload.Contains($"\"{name}\"", StringComparison.Ordinal) && message.Payload.Contains(updateId, StringComparison.Ordinal);

    private static string? UpdateState((long At, string Topic, string Payload) message, string updateId)
    {
        if (message.Topic != s_topics.Models(Device))
        {
            return null;
        }

        using var document = JsonDocument.Parse(message.Payload);
        return document.RootElement.GetProperty("models").TryGetProperty(Pipeline.ClassifierLayout.Name, out var model)
            && model.TryGetProperty("update", out var update) && update.ValueKind == JsonValueKind.Object
            && update.GetProperty("update_id").GetString() == updateId
            ? update.GetProperty("state").GetString()
            : null;
    }

    private static string Config(int port, string bundled, string keys, string root) => new JsonObject
    {
        ["Device"] = new JsonObject { ["Id"] = Device },
        ["Agent"] = new JsonObject { ["StateDirectory"] = Path.Combine(root, "state"), ["CacheDirectory"] = Path.Combine(root, "cache") },
        ["Mqtt"] = new JsonObject { ["Host"] = "127.0.0.1", ["Port"] = port },
        ["Inference"] = new JsonObject { ["Providers"] = new JsonArray("cpu"), ["IntraOpThreads"] = 1 },
        ["Models"] = new JsonObject
        {
            ["BundledPath"] = bundled,
            ["TrustedKeysPath"] = keys,
            // Probation is not what is measured; the latency factor is wide because the machine is shared.
            ["Probation"] = new JsonObject { ["Seconds"] = 1, ["MinInferences"] = 3, ["MaxLatencyFactor"] = 20 },
        },
        ["Streams"] = new JsonArray(new JsonObject
        {
            ["Name"] = "cam0",
            ["Model"] = Pipeline.ClassifierLayout.Name,
            ["Source"] = new JsonObject { ["Type"] = "camera", ["Url"] = "testsrc", ["Width"] = 320, ["Height"] = 240, ["Fps"] = 30 },
            ["Publish"] = "all",
        }),
    }.ToJsonString();

    private static ProcessStartInfo AgentStart(string config)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { TestPaths.AgentAssembly, "run", "--config", config })
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_agent.HasExited)
        {
            _agent.Kill(entireProcessTree: true);
        }

        await _agent.WaitForExitAsync();
        _agent.Dispose();
        await _client.DisposeAsync();
        _key.Dispose();
        _root.Delete(recursive: true);
    }
}
