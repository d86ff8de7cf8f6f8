using System.Text.Json.Nodes;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Configuration;

/// <summary><c>edge-agent check</c> on sensor streams: the anomaly model against the stream's windows, one sample from the sensor.</summary>
public sealed class SensorCheckTests : IDisposable
{
    private readonly AgentLayout _layout = new();
    private readonly string _sysfs = Directory.CreateTempSubdirectory("edge-agent-check-sysfs-").FullName;

    [Fact]
    public async Task A_sim_stream_and_a_thermal_zone_are_read_once_and_a_missing_zone_is_named()
    {
        Directory.CreateDirectory(Path.Combine(_sysfs, "class", "thermal", "thermal_zone0"));
        File.WriteAllText(Path.Combine(_sysfs, "class", "thermal", "thermal_zone0", "type"), "cpu-thermal\n");
        File.WriteAllText(Path.Combine(_sysfs, "class", "thermal", "thermal_zone0", "temp"), "47250\n");
        _layout.Config["Models"] = new JsonObject { ["BundledPath"] = Path.Combine(TestPaths.RepositoryRoot, "models") };
        _layout.Config["Streams"] = new JsonArray(
            Stream("vib0", new JsonObject { ["Kind"] = "sim", ["RateHz"] = 100, ["Channels"] = new JsonArray("vibration") }),
            Stream("cpu", new JsonObject { ["Kind"] = "thermal", ["RateHz"] = 1, ["SysfsRoot"] = _sysfs, ["Channels"] = new JsonArray("cpu-thermal") }),
            Stream("gpu", new JsonObject { ["Kind"] = "thermal", ["RateHz"] = 1, ["SysfsRoot"] = _sysfs, ["Channels"] = new JsonArray("gpu-thermal") }));

        var result = await ChildProcess.RunAgentAsync("check", "--config", _layout.Write());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("stream vib0: model demo-anomaly v1 (anomaly, sha256 ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("stream vib0: source sim: vibration: vibration=", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("stream cpu: source thermal zones cpu-thermal: cpu-thermal=47.25", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"stream gpu: PROBLEM: source thermal zones gpu-thermal: no thermal zone with type 'gpu-thermal' under {_sysfs}/class/thermal (found: cpu-thermal)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1 problem(s)", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_window_the_model_does_not_take_is_refused_naming_both()
    {
        _layout.Config["Models"] = new JsonObject { ["BundledPath"] = Path.Combine(TestPaths.RepositoryRoot, "models") };
        _layout.Config["Streams"] = new JsonArray(Stream("vib0", new JsonObject { ["Kind"] = "sim", ["RateHz"] = 100, ["Channels"] = new JsonArray("x", "y") }));

        var result = await ChildProcess.RunAgentAsync("check", "--config", _layout.Write());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("model demo-anomaly v1 takes windows of 64 samples of 1 channel(s); the stream gives 64 of 2", result.StandardOutput, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _layout.Dispose();
        Directory.Delete(_sysfs, recursive: true);
    }

    private static JsonObject Stream(string name, JsonObject source)
    {
        source["Type"] = "sensor";
        source["Window"] = 64;
        source["Hop"] = 16;
        return new JsonObject { ["Name"] = name, ["Model"] = "demo-anomaly", ["Source"] = source };
    }
}
