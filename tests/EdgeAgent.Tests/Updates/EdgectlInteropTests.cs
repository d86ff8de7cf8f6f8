using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using EdgeAgent.Mqtt;
using EdgeAgent.Protocol;
using EdgeAgent.Testing;
using EdgeAgent.Tests.Configuration;
using EdgeAgent.Tests.Daemon;

namespace EdgeAgent.Tests.Updates;

/// <summary>
/// The real <c>edgectl push --wait</c> against the real <c>edge-agent run</c> through a real mosquitto: the two sides
/// of CONTRACT.md sections 6 and 7 agree on the offer, the chunks, <c>done</c>, the models topic, the events and the
/// signed rollback command.
/// </summary>
public sealed class EdgectlInteropTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(90);
    private static readonly string s_demo = Path.Combine(TestPaths.RepositoryRoot, "models", "demo-classifier", "1", "model.onnx");
    private readonly AgentLayout _layout = new();
    private MosquittoBroker? _broker;

    private string Broker => $"mqtt://127.0.0.1:{_broker!.Port}";

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    [Fact]
    public async Task Edgectl_push_wait_exits_0_when_the_agent_commits_1_with_its_reason_when_the_key_is_not_trusted_and_rollback_wait_pins_the_previous_or_says_why_not()
    {
        var keys = Directory.CreateDirectory(Path.Combine(_layout.Root, "keys")).FullName;
        await KeygenAsync("ops");
        await KeygenAsync("stranger");
        File.Copy(Path.Combine(_layout.Root, "ops.pub"), Path.Combine(keys, "ops.pub"));
        _layout.Config["Models"]!["TrustedKeysPath"] = keys;
        await using var client = await BrokerClient.ConnectAsync(_broker!.Port, s_wait);
        var models = Channel.CreateUnbounded<ModelsDocument>();
        await client.SubscribeAsync("edge/pi-01/models", MqttQos.AtLeastOnce, (message, _) =>
        {
            models.Writer.TryWrite(JsonSerializer.Deserialize(message.Payload.Span, UpdateStatusJsonContext.Default.ModelsDocument)!);
            return ValueTask.CompletedTask;
        });
        await using var agent = AgentProcess.Start(_layout.Write(), new Dictionary<string, string>
        {
            ["EDGEAGENT__Mqtt__Port"] = _broker.Port.ToString(CultureInfo.InvariantCulture),
            ["EDGEAGENT__Streams__0__MaxFps"] = "10",
            ["EDGEAGENT__Models__Probation__Seconds"] = "2",
            ["EDGEAGENT__Models__Probation__MinInferences"] = "5",
        });
        await NextAsync(models, agent, m => m.Models.GetValueOrDefault("classifier")?.Active?.Version == 3);

        var pushed = await PushAsync("ops", 4);

        Assert.True(pushed.ExitCode == 0, $"edgectl:\n{pushed.StandardOutput}{pushed.StandardError}\nedge-agent:\n{agent.Output}");
        Assert.Contains("classifier v4 committed on 1 device", pushed.StandardOutput, StringComparison.Ordinal);
        var committed = (await NextAsync(models, agent, m => m.Models.GetValueOrDefault("classifier")?.Committed?.Version == 4)).Models["classifier"];
        Assert.Equal((4, 4, UpdateStates.Committed), (committed.Active?.Version, committed.Update?.Version, committed.Update?.State));

        var refused = await PushAsync("stranger", 5);

        Assert.True(refused.ExitCode == 1, $"edgectl:\n{refused.StandardOutput}{refused.StandardError}\nedge-agent:\n{agent.Output}");
        Assert.Contains("is not trusted", refused.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("classifier v5 was not taken by pi-01", refused.StandardError, StringComparison.Ordinal);

        var rollback = await EdgectlAsync("rollback", "--device", "pi-01", "--model", "classifier", "--key", Path.Combine(_layout.Root, "ops.key"), "--broker", Broker, "--wait", "--timeout", "90");

        Assert.True(rollback.ExitCode == 0, rollback.StandardOutput + rollback.StandardError);
        Assert.Contains("pi-01  rolled back: serving classifier v3", rollback.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("classifier rolled back to v3 on 1 device", rollback.StandardOutput, StringComparison.Ordinal);
        var pinned = (await NextAsync(models, agent, m => m.Models.GetValueOrDefault("classifier")?.Pinned is not null)).Models["classifier"];
        Assert.Equal((3, 3), (pinned.Active?.Version, pinned.Pinned));

        var unknown = await EdgectlAsync("rollback", "--device", "pi-01", "--model", "classifier", "--to", "99", "--key", Path.Combine(_layout.Root, "ops.key"), "--broker", Broker, "--wait", "--timeout", "90");

        Assert.True(unknown.ExitCode == 1, unknown.StandardOutput + unknown.StandardError);
        Assert.Contains("pi-01  refused: rollback refused: ", unknown.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("the rollback of classifier was refused by pi-01", unknown.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, await agent.TerminateAsync(s_wait));
    }

    public Task DisposeAsync()
    {
        _broker?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _layout.Dispose();

    private async Task KeygenAsync(string name)
    {
        var result = await EdgectlAsync("keygen", "--out", Path.Combine(_layout.Root, name));
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    /// <summary>The demo classifier as <c>classifier</c> <paramref name="version"/>, signed with <paramref name="key"/>, following it to its outcome.</summary>
    private Task<ProcessResult> PushAsync(string key, int version) => EdgectlAsync(
        "push", s_demo, "--device", "pi-01", "--model", "classifier", "--version", version.ToString(CultureInfo.InvariantCulture),
        "--key", Path.Combine(_layout.Root, key + ".key"), "--wait", "--timeout", "90", "--broker", Broker);

    /// <summary>Runs <c>dotnet edgectl.dll</c> as a user does, with the caller's EDGECTL_BROKER unset so it cannot leak in.</summary>
    private static Task<ProcessResult> EdgectlAsync(params string[] arguments) => ChildProcess.RunAsync(
        "dotnet",
        [TestPaths.EdgectlAssembly, .. arguments],
        TimeSpan.FromMinutes(2),
        new Dictionary<string, string> { ["EDGECTL_BROKER"] = string.Empty });

    private static Task<ModelsDocument> NextAsync(Channel<ModelsDocument> models, AgentProcess agent, Func<ModelsDocument, bool> matches) =>
        models.Reader.FirstAsync(matches, s_wait, () => $"no such models document; edge-agent printed:\n{agent.Output}");
}
