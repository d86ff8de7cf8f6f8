using System.Text.Json;
using EdgeAgent.Testing;

namespace EdgeCtl.Tests;

/// <summary><c>edgectl status</c>: a table from the retained status and models topics, in the contract's shapes.</summary>
public sealed class StatusTests : IAsyncLifetime
{
    private MosquittoBroker? _broker;

    private string Broker => $"mqtt://127.0.0.1:{_broker!.Port}";

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        await using var device = await Mqtt.ConnectAsync(_broker.Port, "retainer");
        await device.RetainAsync("edge/pi-01/status", """
            {"state":"online","agent_version":"0.1.0","started_at":"2026-11-21T09:00:00.000Z","groups":["kitchen","floor-1"],"providers":["cpu"],"streams":["cam0","cam1"],"ts":"2026-11-21T10:00:00.000Z"}
            """);
        await device.RetainAsync("edge/pi-01/models", """
            {"device":"pi-01","models":{
              "classifier":{"active":{"version":4,"sha256":"aa"},"previous":{"version":3,"sha256":"bb"},"committed":{"version":4,"sha256":"aa"},
                            "update":{"update_id":"u-5","version":5,"state":"rejected","progress":1,"missing":[],"error":"sha256 mismatch: expected cc, got dd"}},
              "detector":{"active":{"version":2,"sha256":"ee"},"committed":{"version":2,"sha256":"ee"},
                          "update":{"update_id":"u-6","version":3,"state":"receiving","progress":0.42,"missing":[[3,7]]}}},
             "ts":"2026-11-21T10:00:01.000Z"}
            """);
        await device.RetainAsync("edge/pi-02/status", """
            {"state":"offline","agent_version":"0.1.0","started_at":"2026-11-20T09:00:00.000Z","groups":["kitchen"],"providers":["cpu"],"streams":["cam0"],"ts":"2026-11-20T18:00:00.000Z"}
            """);
        await device.RetainAsync("edge/pi-03/models", """{"device":"pi-03","models":{"classifier":{"active":{"version":2,"sha256":"a2"},"previous":{"version":3,"sha256":"a3"},"committed":{"version":3,"sha256":"a3"},"pinned":2}},"ts":"2026-11-21T10:00:02.000Z"}""");
        await device.RetainAsync("plant/pi-09/status", """{"state":"online","groups":[],"providers":[],"streams":[]}""");
    }

    public Task DisposeAsync()
    {
        _broker?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Shows_one_row_per_device_and_model_with_versions_and_the_update_in_progress()
    {
        var result = await Edgectl.RunAsync("status", "--broker", Broker);

        Assert.True(result.ExitCode == 0, result.StandardError);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Matches(@"^DEVICE\s+STATE\s+AGENT\s+GROUPS\s+STREAMS\s+MODEL\s+ACTIVE\s+PREVIOUS\s+COMMITTED\s+UPDATE\s+SEEN$", lines[0]);
        Assert.Matches(@"^pi-01\s+online\s+0\.1\.0\s+kitchen,floor-1\s+cam0,cam1\s+classifier\s+v4\s+v3\s+v4\s+v5 rejected: sha256 mismatch: expected cc, got dd\s+2026-11-21T10:00:00\.000Z$", lines[1]);
        Assert.Matches(@"^\s+detector\s+v2\s+-\s+v2\s+v3 receiving 42%$", lines[2]);
        Assert.Matches(@"^pi-02\s+offline\s+0\.1\.0\s+kitchen\s+cam0\s+-\s+-\s+-\s+-\s+-\s+2026-11-20T18:00:00\.000Z$", lines[3]);
        Assert.Matches(@"^pi-03\s+-\s+-\s+-\s+-\s+classifier\s+v2 \(pinned v2\)\s+v3\s+v3\s+-\s+-$", lines[4]);
        Assert.DoesNotContain("pi-09", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_device_a_prefix_and_an_unknown_device()
    {
        var one = await Edgectl.RunAsync("status", "--broker", Broker, "--device", "pi-02");
        var plant = await Edgectl.RunAsync("status", "--broker", Broker, "--prefix", "plant");
        var unknown = await Edgectl.RunAsync("status", "--broker", Broker, "--device", "pi-99");
        var wildcard = await Edgectl.RunAsync("status", "--broker", Broker, "--device", "pi-+");

        Assert.Equal(0, one.ExitCode);
        Assert.Equal(2, one.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("pi-02", one.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, plant.ExitCode);
        Assert.Matches(@"(?m)^pi-09\s+online", plant.StandardOutput);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no device 'pi-99'", unknown.StandardError, StringComparison.Ordinal);
        Assert.Contains("edge/pi-99/status", unknown.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, wildcard.ExitCode);
        Assert.Contains("--device 'pi-+' must be one topic level", wildcard.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_gives_each_devices_payloads_as_published()
    {
        var result = await Edgectl.RunAsync("status", "--broker", Broker, "--json");

        Assert.Equal(0, result.ExitCode);
        using var listing = JsonDocument.Parse(result.StandardOutput);
        var devices = listing.RootElement.GetProperty("devices").EnumerateArray().ToList();
        Assert.Equal(["pi-01", "pi-02", "pi-03"], devices.Select(d => d.GetProperty("device").GetString()));
        Assert.Equal(
            "sha256 mismatch: expected cc, got dd",
            devices[0].GetProperty("models").GetProperty("models").GetProperty("classifier").GetProperty("update").GetProperty("error").GetString());
        Assert.Equal("offline", devices[1].GetProperty("status").GetProperty("state").GetString());
        Assert.False(devices[2].TryGetProperty("status", out _));
    }

    [Fact]
    public async Task An_unreadable_payload_is_named_in_its_row()
    {
        await using (var device = await Mqtt.ConnectAsync(_broker!.Port, "garbage"))
        {
            await device.RetainAsync("edge/pi-04/models", "not json");
        }

        var result = await Edgectl.RunAsync("status", "--broker", Broker, "--device", "pi-04");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("edge/pi-04/models is not a models payload: ", result.StandardOutput, StringComparison.Ordinal);
    }
}
