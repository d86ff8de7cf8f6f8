using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using EdgeAgent.Mqtt;
using EdgeAgent.Sensors.Sim;
using EdgeAgent.Testing;
using EdgeAgent.Tests.Configuration;

namespace EdgeAgent.Tests.Daemon;

/// <summary><c>edge-agent run</c> with the simulated vibration sensor through the bundled int8 anomaly model, against a real mosquitto.</summary>
public sealed class SensorStreamTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private readonly AgentLayout _layout = new();
    private MosquittoBroker? _broker;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    [Fact]
    public async Task The_daemon_flags_the_injected_anomalies_with_events_and_results_of_precision_and_recall_of_at_least_0_9()
    {
        _layout.Config["Models"] = new JsonObject { ["BundledPath"] = Path.Combine(TestPaths.RepositoryRoot, "models") };
        _layout.Config["Streams"] = new JsonArray(new JsonObject
        {
            ["Name"] = "vib0",
            ["Model"] = "demo-anomaly",
            ["Publish"] = "changes",
            ["Source"] = new JsonObject
            {
                ["Type"] = "sensor", ["Kind"] = "sim", ["RateHz"] = 100, ["Window"] = 64, ["Hop"] = 16,
                ["Channels"] = new JsonArray("vibration"), ["Realtime"] = false,
            },
        });
        var messages = Channel.CreateUnbounded<MqttMessage>();
        await using var subscriber = await BrokerClient.ConnectAsync(_broker!.Port, s_wait);
        await subscriber.SubscribeAsync("edge/pi-01/#", MqttQos.AtLeastOnce, (message, _) =>
        {
            messages.Writer.TryWrite(message);
            return ValueTask.CompletedTask;
        });
        await using var agent = AgentProcess.Start(_layout.Write(), new Dictionary<string, string>
        {
            ["EDGEAGENT__Mqtt__Port"] = _broker.Port.ToString(CultureInfo.InvariantCulture),
        });

        DateTimeOffset? origin = null;
        var starts = new List<long>();
        var ends = 0;
        var events = new List<string>();
        using (var limit = new CancellationTokenSource(s_wait))
        {
            while (starts.Count < 20 || events.Count(e => e == "anomaly_started") < 20)
            {
                MqttMessage message;
                try
                {
                    message = await messages.Reader.ReadAsync(limit.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"{starts.Count} anomalies in {s_wait}; edge-agent printed:\n{agent.Output}");
                }

                var payload = JsonDocument.Parse(message.Payload.ToArray()).RootElement;
                if (message.Topic == "edge/pi-01/events")
                {
                    events.Add(payload.GetProperty("event").GetString()!);
                    continue;
                }

                if (message.Topic != "edge/pi-01/results/vib0")
                {
                    continue;
                }

                var windowStart = DateTimeOffset.Parse(payload.GetProperty("window").GetProperty("start_ts").GetString()!, CultureInfo.InvariantCulture);
                origin ??= windowStart;
                if (payload.GetProperty("anomaly").GetBoolean())
                {
                    starts.Add((long)Math.Round((windowStart - origin.Value).TotalMilliseconds / 10));
                }
                else if (starts.Count > 0)
                {
                    ends++;
                }
            }
        }

        Assert.Equal(0, await agent.TerminateAsync(s_wait));
        var (precision, recall) = SimScoring.Score(new SimSignal(new SimSettings(), 100, 1), starts, window: 64);
        Assert.True(precision >= 0.9, $"precision {precision:F3} over {starts.Count} anomalies");
        Assert.True(recall >= 0.9, $"recall {recall:F3}");
        Assert.InRange(ends, starts.Count - 1, starts.Count);
        Assert.DoesNotContain("samples_lost", events);
    }

    public Task DisposeAsync()
    {
        _broker?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _layout.Dispose();
}
