using EdgeAgent.Sensors;
using EdgeAgent.Sensors.Sim;
using EdgeAgent.Sensors.Sysfs;
using EdgeAgent.Sources;
using EdgeAgent.Tests.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Tests.Sensors;

/// <summary>Sensor sources in real time: hot-unplug and return, unparsable values, a full buffer.</summary>
public sealed class SensorSourceTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private static readonly SensorSettings s_fastRestart = new() { RestartDelay = TimeSpan.FromMilliseconds(50), MaxRestartDelay = TimeSpan.FromMilliseconds(200), BufferSamples = 100_000 };
    private readonly SysfsTree _tree = new();

    [Fact]
    public async Task A_sensor_file_that_disappears_and_comes_back_gives_source_lost_then_restored_and_the_stream_resumes()
    {
        _tree.Write("class/thermal/thermal_zone0/type", "cpu-thermal");
        var temp = _tree.Write("class/thermal/thermal_zone0/temp", "40000");
        var observer = new RecordingObserver();
        var reader = new SysfsReader("thermal cpu-thermal", 1, () => SysfsLocator.Thermal(_tree.Root, ["cpu-thermal"]), TimeProvider.System);
        await using var source = new SensorSource("t0", new PolledFeed(reader, 50, true, TimeProvider.System), s_fastRestart, observer, NullLogger.Instance, TimeProvider.System);
        source.Start();
        var first = await TakeAsync(source);
        Assert.Equal(40f, first.Value);
        Assert.False(first.AfterGap);

        File.Delete(temp);
        Assert.StartsWith("lost t0: ", observer.Next(s_wait), StringComparison.Ordinal);
        Assert.Equal(SourceState.Backoff, source.State);
        _tree.Write("class/thermal/thermal_zone0/temp", "42000");
        Assert.Equal("restored t0", observer.Next(s_wait));

        (long Index, float Value, bool AfterGap) taken;
        do
        {
            taken = await TakeAsync(source);
        }
        while (taken.Value == 40f);

        Assert.Equal(42f, taken.Value);
        Assert.True(taken.AfterGap, "the first sample after the sensor came back starts a new window");
        Assert.Equal(SourceState.Running, source.State);
    }

    [Fact]
    public async Task An_unparsable_value_skips_its_sample_is_counted_and_starts_a_new_window_without_losing_the_source()
    {
        _tree.Write("class/thermal/thermal_zone0/type", "cpu-thermal");
        var temp = _tree.Write("class/thermal/thermal_zone0/temp", "41000");
        var observer = new RecordingObserver();
        var reader = new SysfsReader("thermal cpu-thermal", 1, () => SysfsLocator.Thermal(_tree.Root, ["cpu-thermal"]), TimeProvider.System);
        await using var source = new SensorSource("t0", new PolledFeed(reader, 100, true, TimeProvider.System), s_fastRestart, observer, NullLogger.Instance, TimeProvider.System);
        source.Start();
        var first = await TakeAsync(source);
        Assert.Equal((0L, 41f, false), first);

        File.WriteAllText(temp, "garbage\n");
        using (var timeout = new CancellationTokenSource(s_wait))
        {
            while (source.SamplesInvalid < 3)
            {
                await Task.Delay(10, timeout.Token);
            }
        }

        File.WriteAllText(temp, "43000\n");
        var samples = new List<(long Index, float Value, bool AfterGap)>();
        do
        {
            samples.Add(await TakeAsync(source));
        }
        while (samples[^1].Value != 43f);

        // The skipped samples take no index: the one after them follows the last good one, marked as after a gap.
        Assert.All(samples[..^1], s => Assert.Equal((41f, false), (s.Value, s.AfterGap)));
        Assert.Equal((samples.Count, 43f, true), (samples[^1].Index, samples[^1].Value, samples[^1].AfterGap));
        Assert.True(source.SamplesInvalid >= 3);
        Assert.Equal(SourceState.Running, source.State);
        Assert.Throws<TimeoutException>(() => observer.Next(TimeSpan.Zero));
    }

    [Fact]
    public async Task Samples_that_find_the_buffer_full_are_lost_counted_and_reported()
    {
        var observer = new RecordingObserver();
        var signal = new SimSignal(new SimSettings(), 1000, 1);
        var settings = s_fastRestart with { BufferSamples = 8 };
        await using var source = new SensorSource("s0", new PolledFeed(new SimReader(signal, ["x"]), 1000, true, TimeProvider.System), settings, observer, NullLogger.Instance, TimeProvider.System);
        source.Start();

        Assert.Equal("samples lost s0: 1", observer.Next(s_wait));
        Assert.Equal("samples lost s0: 2", observer.Next(s_wait));
        Assert.True(source.SamplesLost >= 2);
        var kept = new List<(long Index, float Value, bool AfterGap)>();
        while (source.Buffer.Reader.TryRead(out var row))
        {
            kept.Add((row.Index, row.Values[0], row.AfterGap));
            row.Release();
        }

        // The source goes on sampling while the rows are taken: a newer one can follow in the room they leave.
        Assert.Equal([0L, 1, 2, 3, 4, 5, 6, 7], kept.Take(8).Select(k => k.Index));
        Assert.All(kept.Take(8), k => Assert.False(k.AfterGap));
        var next = kept.Count > 8 ? kept[8] : await TakeAsync(source);
        Assert.True(next.Index > 8, $"sample {next.Index} follows lost ones");
        Assert.True(next.AfterGap, "the first sample kept after lost ones starts a new window");
    }

    [Fact]
    public async Task A_simulation_that_is_not_real_time_waits_for_room_and_loses_nothing()
    {
        var observer = new RecordingObserver();
        var signal = new SimSignal(new SimSettings(), 100, 2);
        var settings = s_fastRestart with { BufferSamples = 4, Realtime = false };
        await using var source = new SensorSource("s0", new PolledFeed(new SimReader(signal, ["x", "y"]), 100, false, TimeProvider.System), settings, observer, NullLogger.Instance, TimeProvider.System);
        source.Start();
        var expected = new float[2];
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(await source.Buffer.Reader.WaitToReadAsync());
            Assert.True(source.Buffer.Reader.TryRead(out var row));
            signal.Sample(i, expected);
            Assert.Equal(i, row.Index);
            Assert.Equal(expected, row.Values);
            row.Release();
        }

        Assert.Equal(0, source.SamplesLost);
    }

    public void Dispose() => _tree.Dispose();

    private static async Task<(long Index, float Value, bool AfterGap)> TakeAsync(SensorSource source)
    {
        using var timeout = new CancellationTokenSource(s_wait);
        await source.Buffer.Reader.WaitToReadAsync(timeout.Token);
        Assert.True(source.Buffer.Reader.TryRead(out var row));
        var taken = (row.Index, row.Values[0], row.AfterGap);
        row.Release();
        return taken;
    }
}
