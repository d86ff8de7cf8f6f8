namespace EdgeAgent.Mqtt.Tests;

public sealed class TopicFilterTests
{
    [Theory]
    [InlineData("edge/pi-01/results/cam0", "edge/pi-01/results/cam0", true)]
    [InlineData("edge/+/results/+", "edge/pi-01/results/cam0", true)]
    [InlineData("edge/+/results", "edge/pi-01/results/cam0", false)]
    [InlineData("edge/#", "edge/pi-01/results/cam0", true)]
    [InlineData("edge/#", "edge", true)]
    [InlineData("edge/pi-01/#", "edge/pi-02/status", false)]
    [InlineData("#", "edge/x", true)]
    [InlineData("#", "$SYS/broker/uptime", false)]
    [InlineData("+/broker/uptime", "$SYS/broker/uptime", false)]
    [InlineData("$SYS/#", "$SYS/broker/uptime", true)]
    [InlineData("edge/+", "edge/", true)]
    [InlineData("edge/+/status", "edge/pi-01/status/x", false)]
    public void Matches_follows_the_mqtt_rules(string filter, string topic, bool expected) =>
        Assert.Equal(expected, TopicFilter.Matches(filter, topic));

    [Theory]
    [InlineData("edge/#", true)]
    [InlineData("edge/+/status", true)]
    [InlineData("#", true)]
    [InlineData("edge/#/status", false)]
    [InlineData("edge/st#", false)]
    [InlineData("edge/st+", false)]
    [InlineData("", false)]
    public void IsValidFilter_accepts_only_whole_level_wildcards(string filter, bool expected) =>
        Assert.Equal(expected, TopicFilter.IsValidFilter(filter));
}
