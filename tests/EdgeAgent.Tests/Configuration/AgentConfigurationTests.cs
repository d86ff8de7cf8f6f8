using System.Text.Json.Nodes;
using EdgeAgent.Configuration;

namespace EdgeAgent.Tests.Configuration;

/// <summary>Loading and validating the configuration: each bad value is named with its key and what is allowed.</summary>
public sealed class AgentConfigurationTests : IDisposable
{
    private readonly AgentLayout _layout = new();

    [Fact]
    public void A_valid_file_binds_with_the_documented_defaults()
    {
        var options = AgentConfiguration.Load(_layout.Write());

        Assert.Equal("pi-01", options.Device.Id);
        Assert.Equal(["kitchen"], options.Device.Groups);
        Assert.Equal(["xnnpack", "cpu"], options.Inference.Providers);
        Assert.Equal("localhost", options.Mqtt.Host);
        Assert.Equal(1883, options.Mqtt.Port);
        Assert.Equal("edge", options.Mqtt.TopicPrefix);
        Assert.Equal(1, options.Mqtt.Qos);
        Assert.True(options.Models.RequireSignature);
        Assert.Equal(256L * 1024 * 1024, options.Models.MaxBytes);
        Assert.Equal(3, options.Models.KeepVersions);
        Assert.Equal(300, options.Models.Probation.Seconds);
        Assert.Equal(100, options.Models.Probation.MinInferences);
        Assert.Equal(3600, options.Models.Probation.MaxWaitSeconds);
        Assert.Equal(0.01, options.Models.Probation.MaxErrorRate);
        Assert.Equal(1.5, options.Models.Probation.MaxLatencyFactor);
        Assert.Equal("all", options.Streams[0].Publish);
        Assert.Equal(1, Commands.CheckCommand.CameraSettingsFrom(options.Streams[0].Source).Threads);
    }

    [Fact]
    public void Overrides_replace_file_values()
    {
        var options = AgentConfiguration.Load(_layout.Write(), new Dictionary<string, string?> { ["Mqtt:Port"] = "8883", ["Streams:0:Publish"] = "changes", ["Streams:0:Source:Threads"] = "0" });

        Assert.Equal(8883, options.Mqtt.Port);
        Assert.Equal("changes", options.Streams[0].Publish);
        Assert.Equal(0, Commands.CheckCommand.CameraSettingsFrom(options.Streams[0].Source).Threads);
    }

    [Theory]
    [InlineData("Device:Id", "a/b", "Device:Id is 'a/b'; it must be a non-empty name without '/'")]
    [InlineData("Mqtt:Host", "", "Mqtt:Host is '';")]
    [InlineData("Mqtt:Port", "0", "Mqtt:Port is 0; it must be between 1 and 65535")]
    [InlineData("Mqtt:TopicPrefix", "edge/#", "Mqtt:TopicPrefix is 'edge/#'")]
    [InlineData("Mqtt:Qos", "2", "Mqtt:Qos is 2; it must be 0 or 1")]
    [InlineData("Mqtt:PasswordFile", "/nonexistent/password", "Mqtt:PasswordFile is '/nonexistent/password'; it must be an existing file")]
    [InlineData("Mqtt:Tls:CaFile", "/nonexistent/ca.pem", "Mqtt:Tls:CaFile is '/nonexistent/ca.pem'")]
    [InlineData("Outbox:MaxBytes", "1000", "Outbox:MaxBytes is 1000; it must be at least 1048576")]
    [InlineData("Inference:LibraryPath", "/nonexistent/libonnxruntime.so.1", "Inference:LibraryPath is '/nonexistent/libonnxruntime.so.1'")]
    [InlineData("Inference:Providers:1", "tpu", "Inference:Providers:1 is 'tpu'; it must be one of cuda, tensorrt, xnnpack, acl, openvino, cpu")]
    [InlineData("Inference:IntraOpThreads", "-1", "Inference:IntraOpThreads is -1")]
    [InlineData("Models:KeepVersions", "1", "Models:KeepVersions is 1; it must be 2 or more")]
    [InlineData("Models:Probation:MaxErrorRate", "2", "Models:Probation:MaxErrorRate is 2; it must be between 0 and 1")]
    [InlineData("Models:Probation:MaxLatencyFactor", "0.5", "Models:Probation:MaxLatencyFactor is 0.5; it must be 1 or more")]
    [InlineData("Streams:0:Name", "", "Streams:0:Name is ''")]
    [InlineData("Streams:0:Model", "..", "Streams:0:Model is '..'; it must be a model name")]
    [InlineData("Streams:0:Publish", "sometimes", "Streams:0:Publish is 'sometimes'; it must be all, changes, detections, anomalies, none")]
    [InlineData("Streams:0:MinScore", "1.5", "Streams:0:MinScore is 1.5; it must be between 0 and 1")]
    [InlineData("Streams:0:Source:Type", "scanner", "Streams:0:Source:Type is 'scanner'; it must be camera, exec, sensor")]
    [InlineData("Streams:0:Source:Width", "-2", "Streams:0:Source:Width is -2; it must be an even number of pixels")]
    [InlineData("Streams:0:Source:Fps", "0", "Streams:0:Source:Fps is 0;")]
    [InlineData("Streams:0:Source:PixelFormat", "cmyk", "Streams:0:Source:PixelFormat is 'cmyk'; it must be rgb24, bgr24, gray, yuv420p")]
    [InlineData("Streams:0:Source:Url", "", "Streams:0:Source:Url is ''; it must be a V4L2 device")]
    [InlineData("Streams:0:Source:Threads", "-1", "Streams:0:Source:Threads is -1; it must be 0 (ffmpeg's choice) up to 64")]
    public void Each_bad_value_is_named_with_its_key_value_and_what_is_allowed(string key, string value, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => AgentConfiguration.Load(_layout.Write(), new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_does_not_convert_is_named_with_its_key()
    {
        var error = Assert.Throws<ConfigurationException>(() => AgentConfiguration.Load(_layout.Write(), new Dictionary<string, string?> { ["Mqtt:Port"] = "eighty" }));

        Assert.Contains("'eighty' at 'Mqtt:Port'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Streams_are_required()
    {
        _layout.Config["Streams"] = new JsonArray();

        var error = Assert.Throws<ConfigurationException>(() => AgentConfiguration.Load(_layout.Write()));

        Assert.Contains("Streams is '[]'; it must be a list of at least one stream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_and_broken_json_are_named()
    {
        var missing = Assert.Throws<ConfigurationException>(() => AgentConfiguration.Load("/nonexistent/edge-agent.json"));
        Assert.Contains("/nonexistent/edge-agent.json does not exist", missing.Message, StringComparison.Ordinal);

        File.WriteAllText(_layout.ConfigPath, "{ \"Mqtt\": { \"Port\": 1883, } ");
        var broken = Assert.Throws<ConfigurationException>(() => AgentConfiguration.Load(_layout.ConfigPath));
        Assert.Contains($"{_layout.ConfigPath} is not valid JSON", broken.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _layout.Dispose();
}
