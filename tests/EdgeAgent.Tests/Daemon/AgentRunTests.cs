using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using EdgeAgent.Mqtt;
using EdgeAgent.Testing;
using EdgeAgent.Tests.Configuration;
using EdgeAgent.Tests.Systemd;

namespace EdgeAgent.Tests.Daemon;

/// <summary><c>edge-agent run</c> as systemd runs it, against a real mosquitto: results, status, the Last Will, notify, seq.</summary>
public sealed class AgentRunTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private readonly AgentLayout _layout = new();
    private MosquittoBroker? _broker;

    private MosquittoBroker Broker => _broker!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    [Fact]
    public async Task Results_and_retained_status_reach_the_broker_systemd_hears_ready_and_sigterm_leaves_offline()
    {
        using var notify = DatagramListener.InTempDirectory("notify");
        await using var subscriber = await SubscribeAsync("edge/pi-01/#");
        await using var agent = AgentProcess.Start(_layout.Write(), Environment(notify.Address));

        var status = await NextAsync(subscriber, "edge/pi-01/status", agent);
        Assert.Equal("online", status.GetProperty("state").GetString());
        Assert.Equal(["cam0"], status.GetProperty("streams").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["cpu"], status.GetProperty("providers").EnumerateArray().Select(s => s.GetString()));
        for (var expected = 1; expected <= 3; expected++)
        {
            var result = await NextAsync(subscriber, "edge/pi-01/results/cam0", agent);
            Assert.Equal(expected, result.GetProperty("seq").GetInt64());
            Assert.Equal("classifier", result.GetProperty("model").GetProperty("name").GetString());
        }

        Assert.Equal("READY=1", Encoding.UTF8.GetString(notify.Receive()));
        Assert.StartsWith("STATUS=1 stream(s) running", Encoding.UTF8.GetString(notify.Receive()), StringComparison.Ordinal);

        Assert.Equal(0, await agent.TerminateAsync(s_wait));
        Assert.Equal("STOPPING=1", Encoding.UTF8.GetString(notify.Receive()));
        while (true)
        {
            var last = await NextAsync(subscriber, "edge/pi-01/status", agent);
            if (last.GetProperty("state").GetString() == "offline")
            {
                break;
            }
        }
    }

    [Fact]
    public async Task Sigkill_sets_the_last_will_and_after_a_restart_seq_goes_on_without_a_gap()
    {
        await using var subscriber = await SubscribeAsync("edge/pi-01/#");
        var seen = new SortedSet<long>();
        await using (var first = AgentProcess.Start(_layout.Write(), Environment(null)))
        {
            Assert.Equal("online", (await NextAsync(subscriber, "edge/pi-01/status", first)).GetProperty("state").GetString());
            while (seen.Count < 5)
            {
                seen.Add((await NextAsync(subscriber, "edge/pi-01/results/cam0", first)).GetProperty("seq").GetInt64());
            }

            first.Kill();
            Assert.Equal("offline", (await NextAsync(subscriber, "edge/pi-01/status", first)).GetProperty("state").GetString());
        }

        var before = seen.Max;
        await using var second = AgentProcess.Start(_layout.Write(), Environment(null));
        while (seen.Max < before + 5)
        {
            seen.Add((await NextAsync(subscriber, "edge/pi-01/results/cam0", second)).GetProperty("seq").GetInt64());
        }

        // Every seq from 1 arrived (records the killed process had accepted are sent after the restart); none repeats later.
        Assert.Equal(Enumerable.Range(1, (int)seen.Max).Select(i => (long)i), seen);
        await second.TerminateAsync(s_wait);
    }

    [Fact]
    public async Task A_bad_configuration_value_stops_the_start_with_exit_2_naming_the_key()
    {
        var result = await ChildProcess.RunAsync(
            "dotnet",
            [TestPaths.AgentAssembly, "run", "--config", _layout.Write()],
            s_wait,
            new Dictionary<string, string> { ["EDGEAGENT__Mqtt__Qos"] = "2" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Mqtt:Qos is 2; it must be 0 or 1", result.StandardError, StringComparison.Ordinal);
    }

    public Task DisposeAsync()
    {
        _broker?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _layout.Dispose();

    private Dictionary<string, string> Environment(string? notifySocket)
    {
        var environment = new Dictionary<string, string>
        {
            ["EDGEAGENT__Mqtt__Port"] = Broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["EDGEAGENT__Mqtt__KeepAliveSeconds"] = "5",
            ["EDGEAGENT__Streams__0__MaxFps"] = "10",
        };
        if (notifySocket is not null)
        {
            environment["NOTIFY_SOCKET"] = notifySocket;
        }

        return environment;
    }

    private async Task<Subscriber> SubscribeAsync(string filter)
    {
        var client = await BrokerClient.ConnectAsync(Broker.Port, s_wait);
        var messages = Channel.CreateUnbounded<MqttMessage>();
        await client.SubscribeAsync(filter, MqttQos.AtLeastOnce, (message, _) =>
        {
            messages.Writer.TryWrite(message);
            return ValueTask.CompletedTask;
        });
        return new Subscriber(client, messages.Reader);
    }

    private static async Task<JsonElement> NextAsync(Subscriber subscriber, string topic, AgentProcess agent)
    {
        using var limit = new CancellationTokenSource(s_wait);
        try
        {
            while (true)
            {
                var message = await subscriber.Messages.ReadAsync(limit.Token);
                if (message.Topic == topic)
                {
                    return JsonDocument.Parse(message.Payload.ToArray()).RootElement;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"nothing on {topic} within {s_wait}; edge-agent printed:\n{agent.Output}");
        }
    }

    private sealed record Subscriber(MqttClient Client, ChannelReader<MqttMessage> Messages) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Client.DisposeAsync();
    }
}
