namespace EdgeAgent.Sensors.Sim;

/// <summary>
/// The simulated vibration sensor: per channel a sine at <see cref="FrequencyHz"/> (x 1.5 per further channel) with
/// a second harmonic of <see cref="HarmonicRatio"/>, plus Gaussian noise of <see cref="Noise"/>, and an anomaly of
/// <see cref="AnomalySeconds"/> starting in every period of <see cref="AnomalyEverySeconds"/> (none in the first).
/// Everything is a function of the sample index, the rate and the seed: the same settings give the same samples.
/// </summary>
public sealed record SimSettings
{
    public int Seed { get; init; } = 1;

    public double FrequencyHz { get; init; } = 5;

    public double Amplitude { get; init; } = 1;

    public double HarmonicRatio { get; init; } = 0.3;

    public double Noise { get; init; } = 0.1;

    /// <summary>0 injects no anomalies.</summary>
    public double AnomalyEverySeconds { get; init; } = 20;

    public double AnomalySeconds { get; init; } = 3;
}
