namespace EdgeAgent.Sensors.Sim;

/// <summary>The simulator's signal and its anomaly schedule (<see cref="SimSettings"/>), sample by sample.</summary>
public sealed class SimSignal
{
    private readonly SimSettings _settings;
    private readonly double _rateHz;
    private readonly long _period;
    private readonly long _length;
    private readonly double[] _phases;

    public SimSignal(SimSettings settings, double rateHz, int channels)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rateHz);
        _settings = settings;
        _rateHz = rateHz;
        _period = (long)Math.Round(settings.AnomalyEverySeconds * rateHz);
        _length = (long)Math.Round(settings.AnomalySeconds * rateHz);
        _phases = [.. Enumerable.Range(0, channels).Select(c => Uniform(settings.Seed, -1 - c, 0) * 2 * Math.PI)];
    }

    public int Channels => _phases.Length;

    /// <summary>The anomaly injected at sample <paramref name="index"/>, if any.</summary>
    public SimAnomaly AnomalyAt(long index)
    {
        if (_period <= 0 || _length <= 0)
        {
            return SimAnomaly.None;
        }

        var slot = index / _period;
        if (slot == 0)
        {
            return SimAnomaly.None;
        }

        // Each period's anomaly starts at a seeded point that leaves room for it to end inside the period.
        var start = (slot * _period) + (long)(Uniform(_settings.Seed, slot, 1) * Math.Max(_period - _length, 0));
        return index >= start && index < start + _length ? (SimAnomaly)(1 + ((slot - 1) % 4)) : SimAnomaly.None;
    }

    /// <summary>The first and last+1 sample index of every anomaly starting before <paramref name="samples"/>.</summary>
    public IEnumerable<(long Start, long End, SimAnomaly Kind)> Anomalies(long samples)
    {
        for (var slot = 1L; _period > 0 && _length > 0 && slot * _period < samples; slot++)
        {
            var start = (slot * _period) + (long)(Uniform(_settings.Seed, slot, 1) * Math.Max(_period - _length, 0));
            yield return (start, start + _length, (SimAnomaly)(1 + ((slot - 1) % 4)));
        }
    }

    public void Sample(long index, Span<float> values)
    {
        var t = index / _rateHz;
        var anomaly = AnomalyAt(index);
        var amplitude = _settings.Amplitude;
        for (var c = 0; c < values.Length; c++)
        {
            var frequency = _settings.FrequencyHz * (1 + (0.5 * c)) * (anomaly == SimAnomaly.FrequencyShift ? 2.3 : 1);
            var angle = (2 * Math.PI * frequency * t) + _phases[c];
            var noise = _settings.Noise * (anomaly == SimAnomaly.NoiseBurst ? 6 : 1);
            var value = (amplitude * Math.Sin(angle)) + (amplitude * _settings.HarmonicRatio * Math.Sin((2 * angle) + 1)) + (noise * Gaussian(_settings.Seed, index, c));
            value += anomaly switch
            {
                SimAnomaly.Spikes when index % Math.Max(1, (long)(_rateHz / 10)) == 0 => 3 * amplitude * (((index / (long)Math.Max(1, _rateHz / 10)) % 2 == 0) ? 1 : -1),
                SimAnomaly.Offset => 1.5 * amplitude,
                _ => 0,
            };
            values[c] = (float)value;
        }
    }

    /// <summary>A standard normal value that depends only on the seed, the index and the channel (Box-Muller over a hash).</summary>
    private static double Gaussian(int seed, long index, int channel)
    {
        var u1 = Uniform(seed, index, (2 * channel) + 2);
        var u2 = Uniform(seed, index, (2 * channel) + 3);
        return Math.Sqrt(-2 * Math.Log(1 - u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A uniform value in [0, 1) from SplitMix64 of the seed, an index and a stream number.</summary>
    private static double Uniform(int seed, long index, int stream)
    {
        var z = unchecked(((ulong)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)index * 0xBF58476D1CE4E5B9UL) ^ ((ulong)stream * 0x94D049BB133111EBUL));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
