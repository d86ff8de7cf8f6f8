using EdgeAgent.Mqtt;
using EdgeAgent.Testing;

namespace EdgeCtl.Tests;

/// <summary><c>edgectl watch</c>: one readable line per result of each task's shape (CONTRACT.md section 6).</summary>
public sealed class WatchTests : IAsyncLifetime
{
    private MosquittoBroker? _broker;

    private string Broker => $"mqtt://127.0.0.1:{_broker!.Port}";

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync(global: "log_type subscribe");

    public Task DisposeAsync()
    {
        _broker?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Prints_one_line_per_result_of_every_task()
    {
        var watch = Edgectl.RunAsync("watch", "--device", "pi-01", "--count", "5", "--broker", Broker);
        await PublishWhenSubscribedAsync("edge/pi-01/results/+", [
            ("cam0", """{"device":"pi-01","stream":"cam0","seq":1234,"ts":"2026-11-21T10:00:00.123Z","model":{"name":"classifier","version":3,"sha256":"ab"},"task":"classification","top":[{"label":"tabby","index":281,"score":0.83},{"label":"tiger cat","index":282,"score":0.1}],"timing_ms":{"pre":0.4,"infer":12.1,"post":0.1,"total":13.0},"frame":{"index":5678,"width":640,"height":480}}"""),
            ("door", """{"device":"pi-01","stream":"door","seq":7,"ts":"2026-11-21T10:00:01.000Z","model":{"name":"yolox","version":2},"task":"detection","detections":[{"label":"person","index":0,"score":0.91,"box":{"x":0.1,"y":0.2,"w":0.3,"h":0.4}}],"timing_ms":{"total":41.5},"frame":{"index":12}}"""),
            ("vibration", """{"device":"pi-01","stream":"vibration","seq":9,"ts":"2026-11-21T10:00:02.000Z","model":{"name":"ae","version":1},"task":"anomaly","score":0.72,"threshold":0.5,"anomaly":true,"window":{"start_ts":"a","end_ts":"b","samples":256}}"""),
            ("raw", """{"device":"pi-01","stream":"raw","seq":1,"ts":"2026-11-21T10:00:03.000Z","model":{"name":"vad","version":5},"task":"raw","outputs":{"output":{"shape":[1,1],"data":[0.2]},"stateN":{"shape":[2,1,128],"data":[]}}}"""),
            ("cam0", "not json"),
        ]);

        var result = await watch;

        Assert.True(result.ExitCode == 0, result.StandardError);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Equal(
            [
                "2026-11-21T10:00:00.123Z pi-01/cam0 #1234 classifier v3: tabby 0.83, tiger cat 0.1  13 ms, frame 5678",
                "2026-11-21T10:00:01.000Z pi-01/door #7 yolox v2: 1 detection: person 0.91 at 0.1,0.2 0.3x0.4  41.5 ms, frame 12",
                "2026-11-21T10:00:02.000Z pi-01/vibration #9 ae v1: score 0.72 / 0.5 ANOMALY over 256 samples",
                "2026-11-21T10:00:03.000Z pi-01/raw #1 vad v5: outputs output[1x1], stateN[2x1x128]",
            ],
            lines[..4]);
        Assert.StartsWith("pi-01/cam0: unreadable result (", lines[4], StringComparison.Ordinal);
        Assert.EndsWith("): not json", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_stream_only_and_a_timeout_short_of_the_count_gives_exit_3()
    {
        var watch = Edgectl.RunAsync("watch", "--device", "pi-01", "--stream", "cam1", "--count", "2", "--timeout", "5", "--broker", Broker);
        await PublishWhenSubscribedAsync("edge/pi-01/results/cam1", [("cam0", """{"ts":"t0","top":[]}"""), ("cam1", """{"ts":"t1","top":[{"label":"a","index":0,"score":1}]}""")]);

        var result = await watch;

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("timed out after 5 s with 1 of 2 results from pi-01", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("t0", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("t1 pi-01/cam1: a 1", result.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>Results are not retained: publishes once the broker logged watch's subscription (log_type subscribe).</summary>
    private async Task PublishWhenSubscribedAsync(string filter, (string Stream, string Payload)[] results)
    {
        using var limit = new CancellationTokenSource(Mqtt.Timeout);
        while (!_broker!.Log.Contains($" {filter}", StringComparison.Ordinal))
        {
            await Task.Delay(50, limit.Token);
        }

        await using var device = await Mqtt.ConnectAsync(_broker.Port, "pi-01");
        foreach (var (stream, payload) in results)
        {
            await device.PublishAsync($"edge/pi-01/results/{stream}", System.Text.Encoding.UTF8.GetBytes(payload), MqttQos.AtLeastOnce).AsTask().WaitAsync(Mqtt.Timeout);
        }
    }
}
