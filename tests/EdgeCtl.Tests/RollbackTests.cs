using System.Globalization;
using System.Text.Json.Nodes;
using EdgeAgent.Protocol;
using EdgeAgent.Testing;

namespace EdgeCtl.Tests;

/// <summary><c>edgectl rollback</c>: a signed command with issued_at, to a device, or retained for a group in place of its update.</summary>
public sealed class RollbackTests : OperatorTest
{
    [Fact]
    public async Task A_device_gets_a_signed_command_to_the_previous_version_or_a_named_one()
    {
        await using var device = await Mqtt.ConnectAsync(Port, "pi-01");
        var received = await device.CollectAsync("edge/pi-01/cmd/model/rollback");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var previous = await Edgectl.RunAsync("rollback", "--device", "pi-01", "--model", "classifier", "--key", Files["ops.key"], "--broker", Broker);
        var named = await Edgectl.RunAsync("rollback", "--device", "pi-01", "--model", "classifier", "--to", "2", "--key", Files["ops.key"], "--broker", Broker);

        Assert.True(previous.ExitCode == 0, previous.StandardError);
        Assert.Equal(0, named.ExitCode);
        Assert.Contains("sent rollback of classifier to the previous version to device pi-01", previous.StandardOutput, StringComparison.Ordinal);
        var first = await NextCommand(received);
        var second = await NextCommand(received);
        Assert.False(first.retain);
        Assert.True(ManifestSigning.Verify(first.command, Key));
        Assert.True(ManifestSigning.Verify(second.command, Key));
        Assert.Equal("classifier", (string?)first.command["model"]);
        Assert.Equal("previous", (string?)first.command["to"]);
        Assert.Equal(2, (int?)second.command["to"]);
        Assert.Equal("pi-01", (string?)first.command["target"]!["device"]);
        Assert.Equal(ManifestSigning.KeyId(Key), (string?)first.command["key_id"]);
        var issuedAt = DateTimeOffset.ParseExact((string)first.command["issued_at"]!, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.InRange(issuedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.True(string.CompareOrdinal((string)second.command["issued_at"]!, (string)first.command["issued_at"]!) > 0);

        second.command["to"] = 1;
        Assert.False(ManifestSigning.Verify(second.command, Key));
    }

    [Fact]
    public async Task A_group_rollback_is_retained_and_clears_the_groups_retained_update()
    {
        var push = await Edgectl.RunAsync(
            "push", Path.Combine(TestPaths.RepositoryRoot, "models", "demo-classifier", "1", "model.onnx"), "--group", "kitchen",
            "--model", "classifier", "--version", "4", "--key", Files["ops.key"], "--broker", Broker, "--chunk-size", "32KiB");
        var rollback = await Edgectl.RunAsync("rollback", "--group", "kitchen", "--model", "classifier", "--to", "3", "--key", Files["ops.key"], "--broker", Broker);
        await using var late = await Mqtt.ConnectAsync(Port, "pi-09");
        var retained = await late.CollectAsync("edge/group/kitchen/cmd/model/#");

        Assert.True(push.ExitCode == 0, push.StandardError);
        Assert.True(rollback.ExitCode == 0, rollback.StandardError);
        Assert.Contains("retained rollback of classifier to v3 for group kitchen", rollback.StandardOutput, StringComparison.Ordinal);
        var message = await retained.ReadAsync().AsTask().WaitAsync(Mqtt.Timeout);
        Assert.Equal("edge/group/kitchen/cmd/model/rollback", message.Topic);
        Assert.True(message.Retain);
        var command = JsonNode.Parse(message.Text())!.AsObject();
        Assert.True(ManifestSigning.Verify(command, Key));
        Assert.Equal("kitchen", (string?)command["target"]!["group"]);

        var topics = await ChildProcess.RunAsync("mosquitto_sub", ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-t", "edge/group/kitchen/cmd/model/#", "--retained-only", "-F", "%t", "-W", "2"], Mqtt.Timeout);
        Assert.Equal(["edge/group/kitchen/cmd/model/rollback"], topics.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Wait_exits_3_naming_the_device_that_never_answered()
    {
        var result = await Edgectl.RunAsync("rollback", "--device", "pi-09", "--model", "classifier", "--key", Files["ops.key"], "--broker", Broker, "--wait", "--timeout", "2");

        Assert.True(result.ExitCode == 3, result.StandardOutput + result.StandardError);
        Assert.Contains("pi-09 is not online now", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("timed out after 2 s waiting for the rollback of classifier on pi-09", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_errors_name_the_option()
    {
        var noTarget = await Edgectl.RunAsync("rollback", "--model", "classifier", "--key", Files["ops.key"], "--broker", Broker);
        var badVersion = await Edgectl.RunAsync("rollback", "--device", "pi-01", "--model", "classifier", "--to", "0", "--key", Files["ops.key"], "--broker", Broker);
        var noKey = await Edgectl.RunAsync("rollback", "--device", "pi-01", "--model", "classifier", "--key", Files["none.key"], "--broker", Broker);

        Assert.Equal([2, 2, 2], new[] { noTarget, badVersion, noKey }.Select(r => r.ExitCode));
        Assert.Contains("give exactly one of --device ID or --group G", noTarget.StandardError, StringComparison.Ordinal);
        Assert.Contains("--to 0: versions are positive integers", badVersion.StandardError, StringComparison.Ordinal);
        Assert.Contains($"--key {Files["none.key"]}: no such file", noKey.StandardError, StringComparison.Ordinal);
    }

    private static async Task<(JsonObject command, bool retain)> NextCommand(System.Threading.Channels.ChannelReader<EdgeAgent.Mqtt.MqttMessage> reader)
    {
        var message = await reader.ReadAsync().AsTask().WaitAsync(Mqtt.Timeout);
        return (JsonNode.Parse(message.Text())!.AsObject(), message.Retain);
    }
}
