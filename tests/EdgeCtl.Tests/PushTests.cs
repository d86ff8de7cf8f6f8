using System.Text.Json;
using EdgeAgent.Protocol;
using EdgeAgent.Testing;

namespace EdgeCtl.Tests;

/// <summary>
/// <c>edgectl push</c> as a user runs it, against a real mosquitto and fake devices that answer per CONTRACT.md
/// section 7: the bundle, the signature, chunking, resending what a device lists as missing, and the exit codes.
/// </summary>
public sealed class PushTests : OperatorTest
{
    private static readonly string s_demo = Path.Combine(TestPaths.RepositoryRoot, "models", "demo-classifier", "1");

    [Fact]
    public async Task Wait_resends_the_chunks_a_device_lists_as_missing_and_exits_0_when_it_commits()
    {
        await using var device = await FakeDevice.StartAsync(Port, "pi-01", [], Key, FakeBehaviour.Commit, new HashSet<int> { 1, 2, 5 });

        var result = await Push("--device", "pi-01", "--wait", "--chunk-size", "16KiB");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("pi-01  resending chunks 1-2, 5 (3 of ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^pi-01  receiving  \[#+ *\] \d+%$", result.StandardOutput);
        Assert.Contains("classifier v4 committed on 1 device", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, device.DoneCount);
        Assert.Equal(3, device.ChunksOnDeviceTopic - device.Manifest!.ChunkCount);

        var manifest = device.Manifest;
        Assert.True(device.SignatureValid);
        Assert.Equal("pi-01", manifest.Target.Device);
        Assert.Null(manifest.Target.Group);
        Assert.Equal(16 * 1024, manifest.ChunkSize);
        Assert.Equal((manifest.Size + manifest.ChunkSize - 1) / manifest.ChunkSize, manifest.ChunkCount);
        Assert.Equal(ManifestSigning.KeyId(Key), manifest.KeyId);
        Assert.Equal(("classifier", 4), (manifest.Model.Name, manifest.Model.Version));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", manifest.CreatedAt);

        var files = device.Bundle!.ToDictionary(f => f.Name, f => f.Content);
        Assert.Equal(
            ["model.onnx", "model.json", "labels.txt", "testsrc-pattern.bin", "smpte-bars.bin", "mandelbrot.bin", "color-chart.bin", "solid-color.bin"],
            device.Bundle!.Select(f => f.Name));
        Assert.Equal(File.ReadAllBytes(Path.Combine(s_demo, "model.onnx")), files["model.onnx"]);
        Assert.Equal(File.ReadAllBytes(Path.Combine(s_demo, "mandelbrot.bin")), files["mandelbrot.bin"]);
        var bundled = JsonSerializer.Deserialize(files["model.json"], ProtocolJsonContext.Default.ModelDescriptor)!;
        Assert.Equal(("classifier", 4, "labels.txt"), (bundled.Name, bundled.Version, bundled.LabelsFile));
        Assert.Equal(5, bundled.Validation!.Samples.Count);
    }

    [Fact]
    public async Task In_a_terminal_wait_draws_a_bar_per_device_in_place()
    {
        await using var device = await FakeDevice.StartAsync(Port, "pi-01", [], Key, FakeBehaviour.Commit, new HashSet<int> { 2 });

        var result = await Edgectl.RunInTerminalAsync(
            "push", Path.Combine(s_demo, "model.onnx"), "--model", "classifier", "--version", "4", "--key", Files["ops.key"],
            "--broker", Broker, "--device", "pi-01", "--wait", "--chunk-size", "16KiB");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("\u001b[1F\u001b[2K", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\u001b[2Kpi-01  [########################] 100%  committed", result.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"\u001b\[2Kpi-01  resending chunk 2 \(1 of \d+\)", result.StandardOutput);
        Assert.DoesNotContain("pi-01  receiving  [", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("classifier v4 committed on 1 device", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_wait_it_sends_and_exits_0()
    {
        await using var device = await FakeDevice.StartAsync(Port, "pi-01", [], Key, FakeBehaviour.Silent);

        var result = await Push("--device", "pi-01");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Matches(@"sent update [0-9a-f-]{36} to device pi-01: classifier v4 \(\d+ bytes: model\.onnx, model\.json, labels\.txt, .*; 5 chunks of 65536 bytes\)", result.StandardOutput);
        await WaitUntil(() => device.DoneCount == 1);
        Assert.True(device.SignatureValid);
    }

    [Fact]
    public async Task A_push_signed_with_the_vector_key_verifies_with_the_vector_public_key_and_names_its_key_id()
    {
        var vectors = Path.Combine(TestPaths.RepositoryRoot, "tests", "vectors", "signing");
        using var vectorKey = SigningKeys.Load(Path.Combine(vectors, "ops.pub"));
        await using var device = await FakeDevice.StartAsync(Port, "pi-01", [], vectorKey, FakeBehaviour.Silent);

        var result = await Edgectl.RunAsync(
            "push", Path.Combine(s_demo, "model.onnx"), "--device", "pi-01", "--model", "classifier", "--version", "4",
            "--key", Path.Combine(vectors, "ops.key"), "--broker", Broker);

        Assert.True(result.ExitCode == 0, result.StandardError);
        await WaitUntil(() => device.DoneCount == 1);
        Assert.True(device.SignatureValid);
        Assert.Equal(File.ReadAllText(Path.Combine(vectors, "key_id.txt")).Trim(), device.Manifest!.KeyId);
    }

    [Fact]
    public async Task A_device_that_rejects_gives_exit_1_with_its_reason()
    {
        await using var device = await FakeDevice.StartAsync(Port, "pi-01", [], Key, FakeBehaviour.Reject);

        var result = await Push("--device", "pi-01", "--wait");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("pi-01  rejected: validation sample testsrc-pattern.bin: expected top-1 0, got 3", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("edgectl: classifier v4 was not taken by pi-01", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_that_never_answers_gives_exit_3_naming_it()
    {
        await using var device = await FakeDevice.StartAsync(Port, "pi-01", [], Key, FakeBehaviour.Silent);

        var result = await Push("--device", "pi-01", "--wait", "--timeout", "3");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("edgectl: timed out after 3 s waiting for pi-01 (waiting)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_push_retains_the_update_clears_the_previous_one_and_waits_on_the_members_online()
    {
        await using var first = await FakeDevice.StartAsync(Port, "pi-01", ["kitchen"], Key, FakeBehaviour.Commit, new HashSet<int> { 0 });
        await using var second = await FakeDevice.StartAsync(Port, "pi-02", ["kitchen", "floor-1"], Key, FakeBehaviour.Commit);
        await using var other = await FakeDevice.StartAsync(Port, "pi-04", ["garage"], Key, FakeBehaviour.Commit);
        await using (var retainer = await Mqtt.ConnectAsync(Port, "retainer"))
        {
            await retainer.RetainAsync("edge/pi-03/status", """{"state":"offline","groups":["kitchen"],"providers":[],"streams":[]}""");
            await retainer.RetainAsync("edge/group/kitchen/cmd/model/rollback", """{"model":"classifier","to":"previous"}""");
        }

        var previous = await Push("--group", "kitchen", "--version", "3", "--chunk-size", "8KiB");
        var previousRetained = await RetainedTopics("edge/group/kitchen/cmd/model/#");
        var result = await Push("--group", "kitchen", "--wait", "--chunk-size", "32KiB");
        var retained = await RetainedTopics("edge/group/kitchen/cmd/model/#");

        Assert.True(previous.ExitCode == 0, previous.StandardError);
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("group kitchen: 2 members online now, waiting on: pi-01, pi-02", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("group kitchen: offline, they take the retained update when they connect: pi-03", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("pi-01  resending chunk 0 (1 of ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^pi-01  committed$", result.StandardOutput);
        Assert.Matches(@"(?m)^pi-02  committed$", result.StandardOutput);
        Assert.Contains("classifier v4 committed on 2 devices", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(("kitchen", 4), (first.Manifest!.Target.Group, first.Manifest.Model.Version));
        Assert.Equal(first.Manifest.UpdateId, second.Manifest!.UpdateId);
        Assert.Null(other.Manifest);

        var update = first.Manifest;
        Assert.DoesNotContain("edge/group/kitchen/cmd/model/rollback", previousRetained);
        Assert.Contains("edge/group/kitchen/cmd/model/chunk/", string.Join('\n', previousRetained), StringComparison.Ordinal);
        Assert.Equal(
            ["edge/group/kitchen/cmd/model/offer", .. Enumerable.Range(0, update.ChunkCount).Select(i => $"edge/group/kitchen/cmd/model/chunk/{update.UpdateId}/{i}")],
            retained.Order(StringComparer.Ordinal).OrderBy(t => t.Contains("/chunk/", StringComparison.Ordinal)).ThenBy(t => t.Length).ThenBy(t => t, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_group_with_no_member_online_is_retained_for_later()
    {
        var result = await Push("--group", "kitchen", "--wait");
        var retained = await RetainedTopics("edge/group/kitchen/cmd/model/offer");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("group kitchen: no member is online now", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["edge/group/kitchen/cmd/model/offer"], retained);
    }

    [Theory]
    [InlineData("--chunk-size", "12", "--chunk-size '12' is 12 bytes; allowed: 1KiB to 16MiB")]
    [InlineData("--chunk-size", "lots", "--chunk-size 'lots' is not a size")]
    [InlineData("--version", "0", "--version 0: versions are positive integers")]
    [InlineData("--model", "../etc", "--model '../etc' must be a plain name")]
    [InlineData("--group", "kitchen", "give exactly one of --device ID or --group G")]
    public async Task A_wrong_option_is_a_usage_error(string option, string value, string message)
    {
        var result = await Edgectl.RunAsync(
            ["push", Path.Combine(s_demo, "model.onnx"), "--device", "pi-01", "--key", Files["ops.key"], "--broker", Broker,
             .. option == "--model" ? Array.Empty<string>() : ["--model", "classifier"],
             .. option == "--version" ? Array.Empty<string>() : ["--version", "4"],
             option, value]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_files_are_usage_errors_naming_them()
    {
        var model = Files["model.onnx"];
        File.Copy(Path.Combine(s_demo, "model.onnx"), model);
        var descriptor = File.ReadAllText(Path.Combine(s_demo, "model.json"));

        var noDescriptor = await PushModel(model, "--device", "pi-01");
        File.WriteAllText(Files["model.json"], descriptor);
        var noLabels = await PushModel(model, "--device", "pi-01");
        File.WriteAllText(Files["model.json"], descriptor.Replace("\"labels.txt\"", "\"../labels.txt\"", StringComparison.Ordinal));
        var escaping = await PushModel(model, "--device", "pi-01");
        File.WriteAllText(Files["model.json"], "{\"name\":");
        var broken = await PushModel(model, "--device", "pi-01");
        var publicKey = await Edgectl.RunAsync("push", Path.Combine(s_demo, "model.onnx"), "--device", "pi-01", "--model", "classifier", "--version", "4", "--key", Files["ops.pub"], "--broker", Broker);

        Assert.Equal([2, 2, 2, 2, 2], new[] { noDescriptor, noLabels, escaping, broken, publicKey }.Select(r => r.ExitCode));
        Assert.Contains($"--descriptor {Files["model.json"]}: no such file (a model.json beside the model is the default)", noDescriptor.StandardError, StringComparison.Ordinal);
        Assert.Contains($"labels_file 'labels.txt' is not there ({Files["labels.txt"]})", noLabels.StandardError, StringComparison.Ordinal);
        Assert.Contains("labels_file: bundle entry '../labels.txt' has an empty, '.' or '..' segment", escaping.StandardError, StringComparison.Ordinal);
        Assert.Contains($"--descriptor {Files["model.json"]} is not a model descriptor", broken.StandardError, StringComparison.Ordinal);
        Assert.Contains($"--key {Files["ops.pub"]} holds a public key", publicKey.StandardError, StringComparison.Ordinal);
    }

    private Task<ProcessResult> Push(params string[] arguments) => PushModel(Path.Combine(s_demo, "model.onnx"), arguments);

    private Task<ProcessResult> PushModel(string model, params string[] arguments)
    {
        var version = arguments.Contains("--version") ? [] : new[] { "--version", "4" };
        return Edgectl.RunAsync(["push", model, "--model", "classifier", .. version, "--key", Files["ops.key"], "--broker", Broker, .. arguments]);
    }

    /// <summary>The topics the broker holds retained messages on under <paramref name="filter"/>, by mosquitto_sub.</summary>
    private async Task<string[]> RetainedTopics(string filter)
    {
        var result = await ChildProcess.RunAsync("mosquitto_sub", ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", filter, "--retained-only", "-F", "%t", "-W", "2"], Mqtt.Timeout);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(Mqtt.Timeout);
        while (!condition())
        {
            await Task.Delay(50, limit.Token);
        }
    }
}
