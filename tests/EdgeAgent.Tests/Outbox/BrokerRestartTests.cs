using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Outbox;

/// <summary>The daemon's outbox and MQTT client against a real mosquitto that goes away in the middle of 10,000 results.</summary>
public sealed class BrokerRestartTests : IAsyncLifetime, IDisposable
{
    private const int Streams = 4;
    private const int PerStream = 2_500;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private readonly string _state = Directory.CreateTempSubdirectory("edge-agent-broker-restart-").FullName;
    private MosquittoBroker? _broker;

    private MosquittoBroker Broker => _broker!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    [Fact]
    public async Task Every_result_arrives_in_order_per_stream_when_the_broker_is_stopped_and_started_again_mid_stream()
    {
        await using var subscriber = await ResultSubscriber.StartAsync(Broker.Port, s_wait);
        await using var agent = PublishingOutbox.Open(_state, Broker.Port, "edge-agent-pi-01");
        await agent.Client.WaitUntilConnectedAsync().WaitAsync(s_wait);

        // The first half goes out while the broker runs; it is stopped (SIGTERM by pid: it saves its persistence, as
        // systemd stops it) once some have arrived, with the rest of that half in flight or queued. The second half is
        // accepted while the broker is down.
        Enqueue(agent, 1, PerStream / 2);
        await subscriber.WaitUntilAsync(() => subscriber.Distinct >= 1_000, "the first 1,000 results", s_wait);
        await Broker.StopAsync();
        Enqueue(agent, PerStream / 2 + 1, PerStream);
        await Broker.RestartAsync();

        await subscriber.WaitUntilAsync(() => subscriber.Distinct == Streams * PerStream, $"all {Streams * PerStream} results", s_wait);
        await agent.DrainAsync(s_wait);

        for (var stream = 0; stream < Streams; stream++)
        {
            var name = $"cam{stream}";
            SeqOrder.AssertCompleteAndRising(name, subscriber.ArrivalsOf(name), PerStream);
        }

        Assert.Equal(0, subscriber.DroppedMessages);
        Assert.True(agent.Client.ConnectAttempts >= 2, $"the publisher connected {agent.Client.ConnectAttempts} time(s)");
        Assert.True(subscriber.ConnectAttempts >= 2, $"the subscriber connected {subscriber.ConnectAttempts} time(s)");
    }

    public Task DisposeAsync()
    {
        _broker?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    /// <summary>Seqs <paramref name="from"/> to <paramref name="to"/> of every stream, interleaved as the streams' pipelines would.</summary>
    private static void Enqueue(PublishingOutbox agent, int from, int to)
    {
        for (var seq = from; seq <= to; seq++)
        {
            for (var stream = 0; stream < Streams; stream++)
            {
                var name = $"cam{stream}";
                Assert.Equal(seq, agent.Sink.NextSeq(name));
                agent.Sink.Enqueue(name, seq, ResultPayload.Create(name, seq));
            }
        }
    }
}
