using System.Text.Json.Nodes;
using EdgeAgent.Configuration;

namespace EdgeAgent.Tests.Configuration;

/// <summary>A sensor stream's keys: bound with their defaults, and each bad value named with its key and what is allowed.</summary>
public sealed class SensorConfigurationTests : IDisposable
{
    private readonly AgentLayout _layout = new();

    public SensorConfigurationTests()
    {
        _layout.Config["Streams"] = new JsonArray(new JsonObject
        {
            ["Name"] = "vib0",
            ["Model"] = "demo-anomaly",
            ["Publish"] = "anomalies",
            ["Source"] = new JsonObject
            {
                ["Type"] = "sensor", ["Kind"] = "sim", ["RateHz"] = 100, ["Window"] = 64, ["Hop"] = 16,
                ["Channels"] = new JsonArray("vibration"),
            },
        });
    }

    [Fact]
    public void A_sim_stream_binds_with_the_documented_defaults()
    {
        var stream = AgentConfiguration.Load(_layout.Write()).Streams[0];

        Assert.Equal("sim", stream.Source.Kind);
        Assert.Equal(["vibration"], stream.Source.Channels);
        Assert.Equal("/sys", stream.Source.SysfsRoot);
        Assert.Equal(4096, stream.Source.BufferSamples);
        Assert.True(stream.Source.Realtime);
        Assert.Equal(1, stream.Source.Sim.Seed);
        Assert.Equal(20, stream.Source.Sim.AnomalyEverySeconds);
        Assert.Equal(2, stream.Anomaly.EnterWindows);
        Assert.Equal(3, stream.Anomaly.LeaveWindows);
        Assert.Equal(0.7, stream.Anomaly.LeaveRatio);
    }

    [Theory]
    [InlineData("Streams:0:Source:Kind", "gpio", "Streams:0:Source:Kind is 'gpio'; it must be iio, hwmon, thermal, w1, exec, mqtt, replay, sim")]
    [InlineData("Streams:0:Source:RateHz", "0", "Streams:0:Source:RateHz is 0; it must be more than 0 and at most 100000")]
    [InlineData("Streams:0:Source:Window", "0", "Streams:0:Source:Window is 0; it must be between 1 and 65536 samples")]
    [InlineData("Streams:0:Source:Hop", "65", "Streams:0:Source:Hop is 65; it must be between 1 and Window")]
    [InlineData("Streams:0:Source:Channels:0", " ", "Streams:0:Source:Channels is '[ ]'; it must be a list of 1 to 1024 channel names")]
    [InlineData("Streams:0:Source:BufferSamples", "0", "Streams:0:Source:BufferSamples is 0")]
    [InlineData("Streams:0:Source:Sim:FrequencyHz", "60", "Streams:0:Source:Sim:FrequencyHz is 60; it must be more than 0 and below half of RateHz")]
    [InlineData("Streams:0:Source:Sim:AnomalySeconds", "30", "Streams:0:Source:Sim:AnomalySeconds is 30; it must be 0 or more and below AnomalyEverySeconds")]
    [InlineData("Streams:0:Anomaly:EnterWindows", "0", "Streams:0:Anomaly:EnterWindows is 0; it must be between 1 and 1000")]
    [InlineData("Streams:0:Anomaly:LeaveRatio", "1.5", "Streams:0:Anomaly:LeaveRatio is 1.5; it must be more than 0 and at most 1")]
    public void Each_bad_sensor_value_is_named_with_its_key_value_and_what_is_allowed(string key, string value, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => AgentConfiguration.Load(_layout.Write(), new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iio", "Streams:0:Source:Device is not set; it must be the IIO device's name (its 'name' file)")]
    [InlineData("hwmon", "Streams:0:Source:Device is not set; it must be the hwmon chip's name (its 'name' file)")]
    [InlineData("exec", "Streams:0:Source:Command is not set; it must be the program that prints one line of numbers per sample")]
    [InlineData("replay", "Streams:0:Source:File is not set; it must be an existing CSV file")]
    [InlineData("mqtt", "Streams:0:Source:Topic is not set; it must be the topic filter the readings arrive on")]
    public void Each_kind_names_the_key_it_cannot_do_without(string kind, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => AgentConfiguration.Load(_layout.Write(), new Dictionary<string, string?> { ["Streams:0:Source:Kind"] = kind }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _layout.Dispose();
}
