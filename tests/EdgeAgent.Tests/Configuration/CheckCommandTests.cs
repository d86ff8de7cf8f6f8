using System.Text.Json.Nodes;
using EdgeAgent.Models;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Configuration;

/// <summary><c>edge-agent check</c> as a user runs it: exit 0 only if the agent would start cleanly.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly AgentLayout _layout = new();

    [Fact]
    public async Task A_good_configuration_loads_the_model_opens_the_source_and_exits_0()
    {
        var result = await ChildProcess.RunAgentAsync("check", "--config", _layout.Write());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("device         pi-01 (groups kitchen)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("stream cam0: model classifier v3 (classification, sha256 cc028fe6cae7) on cpu; xnnpack not used: InvalidArgument: XNNPACK execution provider is not supported in this build.", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("stream cam0: source testsrc 320x240 rgb24: first frame in", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ok: the agent would start cleanly", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_model_checked_is_the_version_run_serves_the_committed_update_in_the_store_or_a_pin_not_the_highest_bundled()
    {
        var stateDirectory = Path.Combine(_layout.Root, "state");
        var installed = Directory.CreateDirectory(Path.Combine(stateDirectory, "models", "classifier", "4")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "models", "demo-classifier", "1")))
        {
            File.Copy(file, Path.Combine(installed, Path.GetFileName(file)));
        }

        var descriptor = JsonNode.Parse(File.ReadAllText(Path.Combine(installed, "model.json")))!;
        descriptor["name"] = "classifier";
        descriptor["version"] = 4;
        File.WriteAllText(Path.Combine(installed, "model.json"), descriptor.ToJsonString());
        var stateFile = new StateFile(Path.Combine(stateDirectory, "state.json"));
        var state = new AgentState();
        (state.For("classifier").Active, state.For("classifier").Previous, state.For("classifier").Committed) = (4, 3, 4);
        stateFile.Save(state);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(installed, "model.onnx"))));
        var saved = File.ReadAllText(stateFile.Path);

        var committed = await ChildProcess.RunAgentAsync("check", "--config", _layout.Write());

        Assert.True(committed.ExitCode == 0, committed.StandardOutput + committed.StandardError);
        Assert.Contains($"stream cam0: model classifier v4 (classification, sha256 {sha256[..12]})", committed.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(saved, File.ReadAllText(stateFile.Path));

        state.For("classifier").Pinned = 3;
        stateFile.Save(state);

        var pinned = await ChildProcess.RunAgentAsync("check", "--config", _layout.Write());

        Assert.True(pinned.ExitCode == 0, pinned.StandardOutput + pinned.StandardError);
        Assert.Contains("stream cam0: model classifier v3 (classification, sha256 cc028fe6cae7)", pinned.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_environment_override_with_a_bad_value_exits_2_naming_the_key()
    {
        var result = await ChildProcess.RunAsync(
            "dotnet",
            [TestPaths.AgentAssembly, "check", "--config", _layout.Write()],
            TimeSpan.FromMinutes(1),
            new Dictionary<string, string> { ["EDGEAGENT__Streams__0__Source__Width"] = "641" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Streams:0:Source:Width is 641; it must be an even number of pixels from 2 to 8192", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_whose_input_disagrees_with_its_descriptor_is_refused_naming_both()
    {
        using var layout = new AgentLayout(descriptorWidth: 320);

        var result = await ChildProcess.RunAgentAsync("check", "--config", layout.Write());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the model's input 'input' is float32 [batch_size x 3 x 224 x 224] but model.json says float32 NCHW 3x224x320", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_model_and_a_dead_source_are_each_reported()
    {
        var stream = (JsonObject)_layout.Config["Streams"]![0]!;
        stream["Model"] = "detector";
        stream["Source"]!["Url"] = "/nonexistent/clip.mp4";
        stream["Source"]!["StallTimeoutSeconds"] = 3;

        var result = await ChildProcess.RunAgentAsync("check", "--config", _layout.Write());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("model 'detector' has no version under", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("PROBLEM: source /nonexistent/clip.mp4 320x240 rgb24: no frame within 3 s: ffmpeg exited with code", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 problem(s)", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_configuration_file_exits_2()
    {
        var result = await ChildProcess.RunAgentAsync("check", "--config", "/nonexistent/edge-agent.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("/nonexistent/edge-agent.json does not exist", result.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => _layout.Dispose();
}
