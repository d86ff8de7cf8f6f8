using System.Globalization;
using System.Text.Json.Nodes;
using EdgeAgent.Protocol;
using EdgeAgent.Testing;
using EdgeAgent.Tests.Configuration;
using EdgeAgent.Tests.Daemon;

namespace EdgeAgent.Tests.Updates;

/// <summary>
/// The real <c>edgectl push --wait</c> against real <c>edge-agent run</c> daemons through a real mosquitto: chunks
/// lost on the way are listed by the agent as missing and resent by edgectl; a group push is followed on every member
/// online at push time, an agent that joins the group afterwards converges from the retained update, and a group
/// <c>rollback --wait</c> waits on all three; an anomaly model pushed takes over a sensor stream.
/// </summary>
public sealed class EdgectlFleetTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(150);
    private static readonly string s_demo = Path.Combine(TestPaths.RepositoryRoot, "models", "demo-classifier", "1", "model.onnx");
    private readonly string _keys = Directory.CreateTempSubdirectory("edgectl-keys-").FullName;
    private readonly List<AgentLayout> _layouts = [];
    private readonly List<AgentProcess> _agents = [];
    private MosquittoBroker? _broker;

    private string Broker => $"mqtt://127.0.0.1:{_broker!.Port}";

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        var keygen = await EdgectlAsync("keygen", "--out", Path.Combine(_keys, "ops"));
        Assert.True(keygen.ExitCode == 0, keygen.StandardError);
        Directory.CreateDirectory(Path.Combine(_keys, "trusted"));
        File.Copy(Path.Combine(_keys, "ops.pub"), Path.Combine(_keys, "trusted", "ops.pub"));
    }

    [Fact]
    public async Task Chunks_lost_on_the_way_are_listed_missing_by_the_agent_and_resent_by_edgectl_until_it_commits()
    {
        await using var fleet = await FleetFeed.StartAsync(_broker!.Port, s_wait);
        await using var link = await LossyLink.StartAsync(_broker.Port, "pi-01", "edge", "lossy", new HashSet<int> { 1, 3 }, s_wait);
        var agent = StartAgent("pi-01", ("EDGEAGENT__Mqtt__TopicPrefix", "lossy"));
        await fleet.ModelAsync("pi-01", m => m.Active?.Version == 3, s_wait, Output);

        var pushed = await EdgectlAsync(
            "push", s_demo, "--device", "pi-01", "--model", "classifier", "--version", "4", "--chunk-size", "48KiB",
            "--key", Path.Combine(_keys, "ops.key"), "--wait", "--timeout", "150", "--broker", Broker);

        Assert.True(pushed.ExitCode == 0, $"edgectl:\n{pushed.StandardOutput}{pushed.StandardError}\n{Output()}");
        Assert.Contains("pi-01  resending chunks 1, 3 (2 of ", pushed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("classifier v4 committed on 1 device", pushed.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, link.Dropped.Count);
        var committed = await fleet.ModelAsync("pi-01", m => m.Committed?.Version == 4, s_wait, Output);
        Assert.Equal((4, UpdateStates.Committed), (committed.Active?.Version, committed.Update?.State));
        Assert.Equal(0, await agent.TerminateAsync(s_wait));
    }

    [Fact]
    public async Task A_group_push_waits_on_both_online_members_an_agent_started_later_converges_from_the_retained_update_and_a_group_rollback_waits_on_all()
    {
        await using var fleet = await FleetFeed.StartAsync(_broker!.Port, s_wait);
        StartAgent("pi-01");
        StartAgent("pi-02");
        await fleet.OnlineAsync(["pi-01", "pi-02"], s_wait, Output);
        await fleet.ModelAsync("pi-01", m => m.Active?.Version == 3, s_wait, Output);
        await fleet.ModelAsync("pi-02", m => m.Active?.Version == 3, s_wait, Output);

        var pushed = await EdgectlAsync(
            "push", s_demo, "--group", "kitchen", "--model", "classifier", "--version", "4",
            "--key", Path.Combine(_keys, "ops.key"), "--wait", "--timeout", "150", "--broker", Broker);

        Assert.True(pushed.ExitCode == 0, $"edgectl:\n{pushed.StandardOutput}{pushed.StandardError}\n{Output()}");
        Assert.Contains("group kitchen: 2 members online now, waiting on: pi-01, pi-02", pushed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("pi-01  committed", pushed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("pi-02  committed", pushed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("classifier v4 committed on 2 devices", pushed.StandardOutput, StringComparison.Ordinal);

        var late = StartAgent("pi-03");
        var converged = await fleet.ModelAsync("pi-03", m => m.Committed?.Version == 4, s_wait, Output);

        Assert.Equal((4, UpdateStates.Committed), (converged.Active?.Version, converged.Update?.State));
        Assert.Contains($"retained update {converged.Update!.UpdateId} for group kitchen", pushed.StandardOutput, StringComparison.Ordinal);
        await fleet.OnlineAsync(["pi-01", "pi-02", "pi-03"], s_wait, Output);

        var rollback = await EdgectlAsync(
            "rollback", "--group", "kitchen", "--model", "classifier", "--to", "3", "--key", Path.Combine(_keys, "ops.key"), "--wait", "--timeout", "150", "--broker", Broker);

        Assert.True(rollback.ExitCode == 0, $"edgectl:\n{rollback.StandardOutput}{rollback.StandardError}\n{Output()}");
        Assert.Contains("group kitchen: 3 members online now, waiting on: pi-01, pi-02, pi-03", rollback.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("classifier rolled back to v3 on 3 devices", rollback.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(3, (await fleet.ModelAsync("pi-02", m => m.Pinned == 3, s_wait, Output)).Active?.Version);
        Assert.Equal(0, await late.TerminateAsync(s_wait));
    }

    [Fact]
    public async Task An_anomaly_model_pushed_with_edgectl_takes_over_the_agents_sensor_stream_with_its_threshold()
    {
        await using var fleet = await FleetFeed.StartAsync(_broker!.Port, s_wait);
        await using var results = await ResultFeed.StartAsync(_broker.Port, "edge/pi-01/results/vib0", s_wait);
        var agent = StartAgent("pi-01", layout =>
        {
            layout.Config["Models"]!["BundledPath"] = Path.Combine(TestPaths.RepositoryRoot, "models");
            layout.Config["Streams"] = new JsonArray(new JsonObject
            {
                ["Name"] = "vib0",
                ["Model"] = "demo-anomaly",
                ["Publish"] = "all",
                ["Source"] = new JsonObject
                {
                    ["Type"] = "sensor", ["Kind"] = "sim", ["RateHz"] = 100, ["Window"] = 64, ["Hop"] = 16, ["Channels"] = new JsonArray("vibration"),
                },
            });
        });
        await fleet.ModelAsync("pi-01", m => m.Active?.Version == 1, s_wait, Output, "demo-anomaly");
        var model = Directory.CreateDirectory(Path.Combine(_keys, "demo-anomaly-2")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "models", "demo-anomaly", "1")))
        {
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        }

        var descriptor = JsonNode.Parse(File.ReadAllText(Path.Combine(model, "model.json")))!;
        descriptor["postprocess"]!["threshold"] = 0.5;
        descriptor["validation"]!["max_latency_ms"] = 1000;
        File.WriteAllText(Path.Combine(model, "model.json"), descriptor.ToJsonString());

        var pushed = await EdgectlAsync(
            "push", Path.Combine(model, "model.onnx"), "--device", "pi-01", "--model", "demo-anomaly", "--version", "2",
            "--key", Path.Combine(_keys, "ops.key"), "--wait", "--timeout", "150", "--broker", Broker);

        Assert.True(pushed.ExitCode == 0, $"edgectl:\n{pushed.StandardOutput}{pushed.StandardError}\n{Output()}");
        Assert.Contains("demo-anomaly v2 committed on 1 device", pushed.StandardOutput, StringComparison.Ordinal);
        var result = await results.NextAsync(r => r.GetProperty("model").GetProperty("version").GetInt32() == 2, s_wait, Output);
        Assert.Equal(0.5, result.GetProperty("threshold").GetDouble());
        Assert.Equal(0, await agent.TerminateAsync(s_wait));
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        _broker?.Dispose();
    }

    public void Dispose()
    {
        _layouts.ForEach(l => l.Dispose());
        Directory.Delete(_keys, recursive: true);
    }

    /// <summary>An agent in group kitchen over its own layout (bundled classifier v3), trusting ops.pub, probation short.</summary>
    private AgentProcess StartAgent(string device, params (string Name, string Value)[] settings) => StartAgent(device, _ => { }, settings);

    private AgentProcess StartAgent(string device, Action<AgentLayout> configure, params (string Name, string Value)[] settings)
    {
        var layout = new AgentLayout();
        _layouts.Add(layout);
        configure(layout);
        layout.Config["Device"]!["Id"] = device;
        layout.Config["Models"]!["TrustedKeysPath"] = Path.Combine(_keys, "trusted");
        var environment = new Dictionary<string, string>
        {
            ["EDGEAGENT__Mqtt__Port"] = _broker!.Port.ToString(CultureInfo.InvariantCulture),
            ["EDGEAGENT__Streams__0__MaxFps"] = "5",
            ["EDGEAGENT__Models__Probation__Seconds"] = "2",
            ["EDGEAGENT__Models__Probation__MinInferences"] = "5",
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        var agent = AgentProcess.Start(layout.Write(), environment);
        _agents.Add(agent);
        return agent;
    }

    private string Output() => string.Join("\n", _agents.Select((a, i) => $"edge-agent {i + 1} printed:\n{a.Output}"));

    /// <summary>Runs <c>dotnet edgectl.dll</c> as a user does, with the caller's EDGECTL_BROKER unset so it cannot leak in.</summary>
    private static Task<ProcessResult> EdgectlAsync(params string[] arguments) => ChildProcess.RunAsync(
        "dotnet",
        [TestPaths.EdgectlAssembly, .. arguments],
        TimeSpan.FromMinutes(4),
        new Dictionary<string, string> { ["EDGECTL_BROKER"] = string.Empty });
}
