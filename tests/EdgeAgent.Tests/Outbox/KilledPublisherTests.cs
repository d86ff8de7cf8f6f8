using System.Diagnostics;
using System.Globalization;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Outbox;

/// <summary>A publishing process killed with SIGKILL mid-stream: every result its outbox accepted arrives after the restart.</summary>
public sealed class KilledPublisherTests : IAsyncLifetime, IDisposable
{
    private const string ClientId = "edge-agent-pi-01";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private readonly string _state = Directory.CreateTempSubdirectory("edge-agent-killed-publisher-").FullName;
    private readonly Dictionary<string, long> _accepted = new(StringComparer.Ordinal);
    private MosquittoBroker? _broker;

    private MosquittoBroker Broker => _broker!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    [Fact]
    public async Task Every_result_accepted_before_a_sigkill_arrives_after_the_restart_with_no_gap_and_in_order()
    {
        await using var subscriber = await ResultSubscriber.StartAsync(Broker.Port, s_wait);
        using (var child = StartWriter())
        {
            try
            {
                // Results flow until some have arrived; then the broker is frozen, so the next thousand are accepted
                // and never acknowledged, and the writer is killed with its window in flight and its outbox growing.
                await ReadAcceptedAsync(child, () => subscriber.Distinct >= 500);
                Broker.Pause();
                var beforePause = Accepted;
                await ReadAcceptedAsync(child, () => Accepted >= beforePause + 1_000);
                child.Kill();
                await child.WaitForExitAsync().WaitAsync(s_wait);
                ReadRest(await child.StandardOutput.ReadToEndAsync().WaitAsync(s_wait));
            }
            finally
            {
                if (!child.HasExited)
                {
                    child.Kill();
                }

                Broker.Resume();
            }
        }

        await using var restarted = PublishingOutbox.Open(_state, Broker.Port, ClientId);
        Assert.True(restarted.Outbox.Depth > 0, "nothing was left to send after the kill: the test proved nothing");
        await subscriber.WaitUntilAsync(() => _accepted.All(a => subscriber.Has(a.Key, a.Value)), "every accepted result", s_wait);
        await restarted.DrainAsync(s_wait);

        Assert.Equal(4, _accepted.Count);
        foreach (var (stream, highestAccepted) in _accepted)
        {
            var arrivals = subscriber.ArrivalsOf(stream);
            var highest = arrivals.Max();
            Assert.True(highest >= highestAccepted, $"{stream}: seq {highestAccepted} was accepted, only up to {highest} arrived");
            SeqOrder.AssertCompleteAndRising(stream, arrivals, highest);
            Assert.True(restarted.Outbox.NextSeq(stream) > highest, $"{stream}: a seq up to {highest} would be handed out again");
        }

        Assert.Equal(0, subscriber.DroppedMessages);
    }

    public Task DisposeAsync()
    {
        _broker?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private Process StartWriter()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { typeof(Program).Assembly.Location, "outbox-writer", _state, Broker.Port.ToString(CultureInfo.InvariantCulture), ClientId })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("the outbox writer did not start");
    }

    private long Accepted => _accepted.Values.Sum();

    /// <summary>Reads the writer's "STREAM SEQ" lines until <paramref name="enough"/> holds.</summary>
    private async Task ReadAcceptedAsync(Process child, Func<bool> enough)
    {
        while (!enough())
        {
            var line = await child.StandardOutput.ReadLineAsync().WaitAsync(s_wait);
            if (line is null)
            {
                await child.WaitForExitAsync().WaitAsync(s_wait);
                throw new InvalidOperationException($"the outbox writer exited with {child.ExitCode} before it was killed: {await child.StandardError.ReadToEndAsync()}");
            }

            Accept(line);
        }
    }

    /// <summary>What the writer printed before the kill and this test had not read yet; a line cut by the kill is no acceptance.</summary>
    private void ReadRest(string output)
    {
        var lines = output.Split('\n');
        foreach (var line in lines[..^1])
        {
            Accept(line);
        }
    }

    private void Accept(string line)
    {
        var parts = line.Split(' ');
        Assert.True(parts.Length == 2, $"the outbox writer printed '{line}'");
        var seq = long.Parse(parts[1], CultureInfo.InvariantCulture);
        Assert.Equal(_accepted.GetValueOrDefault(parts[0]) + 1, seq);
        _accepted[parts[0]] = seq;
    }
}
