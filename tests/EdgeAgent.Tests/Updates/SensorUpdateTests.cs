using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Updates;

/// <summary>An update of the anomaly model a sensor stream runs: validated, swapped in between two windows, watched on probation and committed.</summary>
[Collection(OrtEnvironmentGroup.Name)]
public sealed class SensorUpdateTests(OrtEnvironmentFixture ort)
{
    private const string Model = "demo-anomaly";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private static readonly string s_demoAnomaly = Path.Combine(TestPaths.RepositoryRoot, "models", Model, "1");

    [Fact]
    public async Task A_new_anomaly_model_takes_over_a_sensor_stream_between_two_windows_with_its_threshold_and_is_committed()
    {
        await using var device = new UpdateHarness(ort.Environment, model: Model, bundled: s_demoAnomaly);
        var windows = new WindowLedger();
        device.AddSensorStream("vib0", windows, windows);
        windows.Until(w => w.Version == 1, s_wait);
        var descriptor = device.Descriptor(2, s_demoAnomaly);
        descriptor["postprocess"]!["threshold"] = 0.5;
        descriptor["validation"]!["max_latency_ms"] = 1000;

        device.Push("a-2", descriptor, SignedUpdate.Bundle(s_demoAnomaly, descriptor));

        Assert.Equal("probation", device.Update.GetProperty("state").GetString());
        Assert.Contains("serving on 1 stream(s)", device.Events("model_activated").Single(), StringComparison.Ordinal);
        var swap = windows.Until(w => w.Version == 2, s_wait);
        var (last, first) = (swap[^2], swap[^1]);
        Assert.Equal(1, last.Version);
        // Windows start 16 samples (160 ms) apart; the payload's millisecond timestamps round each by up to 1 ms. A lost window would be 320 ms.
        Assert.InRange(first.Start - last.Start, TimeSpan.FromMilliseconds(158), TimeSpan.FromMilliseconds(162));
        Assert.Equal((0.068, 0.5), (Math.Round(last.Threshold, 3), first.Threshold));
        var after = windows.Until(w => w.Version != 2 || w.Start >= first.Start.AddSeconds(1), s_wait)[^1];
        Assert.Equal(2, after.Version);

        device.JudgeUntil("committed");

        Assert.Equal(2, device.StateFile.Load().For(Model).Committed);
        Assert.Equal(2, device.Registry.Current(Model)!.Package.Version);
        Assert.Equal(2, windows.Until(_ => true, s_wait)[0].Version);
    }
}
