using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EdgeAgent.Testing;
using EdgeAgent.Tests.Configuration;
using EdgeAgent.Tests.Systemd;

namespace EdgeAgent.Tests.Daemon;

/// <summary>
/// <c>edge-agent run</c> as systemd sees it: journald records with the EA fields on a socket the test binds, and the
/// watchdog withheld while an inference is wedged but kept while a camera is only in backoff.
/// </summary>
public sealed class AgentSystemdTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private readonly AgentLayout _layout = new();
    private readonly DatagramListener _notify = DatagramListener.InTempDirectory("notify");

    [Fact]
    public async Task Under_systemd_logs_reach_the_journal_socket_with_priority_and_the_EA_fields()
    {
        using var journal = DatagramListener.InTempDirectory("journal");
        AddMissingCamera("cam1");
        await using var agent = AgentProcess.Start(_layout.Write(), Environment(new() { ["EDGEAGENT__Agent__JournalSocket"] = journal.Address }));

        JournalRecord? running = null;
        JournalRecord? lost = null;
        var limit = Stopwatch.StartNew();
        while ((running is null || lost is null) && limit.Elapsed < s_wait)
        {
            if (journal.TryReceive(TimeSpan.FromSeconds(1)) is not { } datagram)
            {
                continue;
            }

            var record = JournalRecord.Parse(datagram);
            if (record.Find("EA_MODEL") is not null && record.Find("EA_STREAM") == "cam0")
            {
                running = record;
            }
            else if (record.Find("EA_EVENT") == "source_lost" && record.Find("EA_STREAM") == "cam1")
            {
                lost = record;
            }
        }

        Assert.True(running is not null, $"no record named stream cam0 and its model; edge-agent printed:\n{agent.Output}");
        Assert.True(lost is not null, $"no source_lost record for cam1; edge-agent printed:\n{agent.Output}");
        Assert.Equal("classifier", running["EA_MODEL"]);
        Assert.Equal("3", running["EA_MODEL_VERSION"]);
        Assert.Equal("6", running["PRIORITY"]);
        Assert.Equal("edge-agent", running["SYSLOG_IDENTIFIER"]);
        Assert.Contains("cam0", running["MESSAGE"], StringComparison.Ordinal);
        Assert.Contains("source_lost", lost["MESSAGE"], StringComparison.Ordinal);

        // Under systemd the console stays quiet: the journal has every line.
        Assert.DoesNotContain("source_lost", agent.Output, StringComparison.Ordinal);
        Assert.Equal(0, await agent.TerminateAsync(s_wait));
    }

    [Fact]
    public async Task The_watchdog_is_withheld_while_an_inference_is_wedged_and_sigterm_still_stops_the_agent()
    {
        AddWedgedModel();
        _layout.Config["Streams"]![0]!["Model"] = "wedged";
        await using var agent = AgentProcess.Start(_layout.Write(), Environment(new() { ["EDGEAGENT__Agent__StallSeconds"] = "2" }));
        WaitFor("READY=1", agent);

        // The first frame's Run never returns; once the stream has been still for 2 s, WATCHDOG=1 stops.
        var quietFor = TimeSpan.FromSeconds(3);
        var lastPing = Stopwatch.StartNew();
        var limit = Stopwatch.StartNew();
        while (lastPing.Elapsed < quietFor)
        {
            Assert.True(limit.Elapsed < s_wait, $"WATCHDOG=1 kept coming while the inference was wedged; edge-agent printed:\n{agent.Output}");
            if (_notify.TryReceive(TimeSpan.FromMilliseconds(200)) is { } datagram && Encoding.UTF8.GetString(datagram) == "WATCHDOG=1")
            {
                lastPing.Restart();
            }
        }

        Assert.Contains("Loop stream cam0 has been silent", agent.Output, StringComparison.Ordinal);
        Assert.Equal(0, await agent.TerminateAsync(s_wait));
    }

    [Fact]
    public async Task The_watchdog_keeps_going_while_a_camera_is_in_backoff()
    {
        _layout.Config["Streams"]![0]!["Source"]!["Url"] = Path.Combine(_layout.Root, "no-such-video.mp4");
        await using var agent = AgentProcess.Start(_layout.Write(), Environment(new() { ["EDGEAGENT__Agent__StallSeconds"] = "2" }));
        WaitFor("READY=1", agent);

        // Three times the stall limit: a camera that cannot start is degraded, not wedged.
        var window = Stopwatch.StartNew();
        var late = 0;
        while (window.Elapsed < TimeSpan.FromSeconds(6))
        {
            if (_notify.TryReceive(TimeSpan.FromMilliseconds(200)) is { } datagram && Encoding.UTF8.GetString(datagram) == "WATCHDOG=1"
                && window.Elapsed > TimeSpan.FromSeconds(4))
            {
                late++;
            }
        }

        Assert.True(late > 0, $"WATCHDOG=1 stopped while the camera was only in backoff; edge-agent printed:\n{agent.Output}");
        Assert.DoesNotContain("has been silent", agent.Output, StringComparison.Ordinal);
        Assert.Equal(0, await agent.TerminateAsync(s_wait));
    }

    public void Dispose()
    {
        _notify.Dispose();
        _layout.Dispose();
    }

    private void WaitFor(string state, AgentProcess agent)
    {
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < s_wait)
        {
            if (_notify.TryReceive(TimeSpan.FromSeconds(1)) is { } datagram && Encoding.UTF8.GetString(datagram) == state)
            {
                return;
            }
        }

        throw new TimeoutException($"no {state} within {s_wait}; edge-agent printed:\n{agent.Output}");
    }

    private Dictionary<string, string> Environment(Dictionary<string, string> extra)
    {
        // No broker listens on this port: the agent starts anyway, and these tests need none.
        var environment = new Dictionary<string, string>(extra)
        {
            ["NOTIFY_SOCKET"] = _notify.Address,
            ["WATCHDOG_USEC"] = "1000000",
            ["EDGEAGENT__Mqtt__Port"] = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture),
            ["EDGEAGENT__Streams__0__MaxFps"] = "10",
        };
        return environment;
    }

    private void AddMissingCamera(string name)
    {
        var stream = _layout.Config["Streams"]![0]!.DeepClone();
        stream["Name"] = name;
        stream["Source"]!["Url"] = Path.Combine(_layout.Root, "no-such-video.mp4");
        _layout.Config["Streams"]!.AsArray().Add(stream);
    }

    private void AddWedgedModel()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_layout.Root, "models", "wedged", "1")).FullName;
        File.CreateSymbolicLink(Path.Combine(directory, "model.onnx"), Path.Combine(TestPaths.TestModels, "wedged_classifier.onnx"));
        File.WriteAllText(Path.Combine(directory, "model.json"), new JsonObject
        {
            ["name"] = "wedged",
            ["version"] = 1,
            ["task"] = "classification",
            ["input"] = new JsonObject { ["name"] = "image", ["layout"] = "NCHW", ["width"] = 8, ["height"] = 8, ["color"] = "rgb", ["dtype"] = "float32" },
            ["labels"] = new JsonArray("red", "green", "blue"),
        }.ToJsonString());
    }
}
