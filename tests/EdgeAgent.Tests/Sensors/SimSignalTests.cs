using EdgeAgent.Sensors.Sim;

namespace EdgeAgent.Tests.Sensors;

public sealed class SimSignalTests
{
    private static readonly SimSettings s_settings = new() { Seed = 7, AnomalyEverySeconds = 10, AnomalySeconds = 2 };

    [Fact]
    public void The_same_seed_gives_the_same_samples_and_another_seed_other_ones()
    {
        var first = Samples(new SimSignal(s_settings, 100, 2), 500);
        var again = Samples(new SimSignal(s_settings, 100, 2), 500);
        var other = Samples(new SimSignal(s_settings with { Seed = 8 }, 100, 2), 500);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void One_anomaly_of_the_set_length_falls_in_every_period_but_the_first_and_the_kinds_take_turns()
    {
        var signal = new SimSignal(s_settings, 100, 1);
        var anomalies = signal.Anomalies(6000).ToArray();

        Assert.Equal(5, anomalies.Length);
        for (var i = 0; i < anomalies.Length; i++)
        {
            var (start, end, kind) = anomalies[i];
            Assert.Equal(200, end - start);
            Assert.InRange(start, (i + 1) * 1000L, ((i + 2) * 1000L) - 200);
            Assert.Equal((SimAnomaly)(1 + (i % 4)), kind);
            Assert.Equal(SimAnomaly.None, signal.AnomalyAt(start - 1));
            Assert.Equal(kind, signal.AnomalyAt(start));
            Assert.Equal(kind, signal.AnomalyAt(end - 1));
            Assert.Equal(SimAnomaly.None, signal.AnomalyAt(end));
        }

        Assert.DoesNotContain(Enumerable.Range(0, 1000), i => signal.AnomalyAt(i) != SimAnomaly.None);
    }

    [Fact]
    public void The_normal_signal_has_the_amplitude_and_noise_it_was_given()
    {
        var signal = new SimSignal(s_settings with { AnomalyEverySeconds = 0 }, 100, 1);
        var samples = Samples(signal, 100_000);
        var mean = samples.Average();
        var variance = samples.Select(v => (v - mean) * (v - mean)).Average();

        // A sine of amplitude 1 (power 0.5), a harmonic of 0.3 (0.045) and noise of 0.1 (0.01).
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.545, 0.565);
    }

    private static float[] Samples(SimSignal signal, int count)
    {
        var values = new float[count * signal.Channels];
        for (var i = 0; i < count; i++)
        {
            signal.Sample(i, values.AsSpan(i * signal.Channels, signal.Channels));
        }

        return values;
    }
}
