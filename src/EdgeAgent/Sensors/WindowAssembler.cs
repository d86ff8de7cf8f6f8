namespace EdgeAgent.Sensors;

/// <summary>
/// Cuts a sample stream into windows of <see cref="Window"/> samples, a new one every <see cref="Hop"/> samples, and
/// writes each into a model input: time-major, <c>[t][c]</c>, which is the memory of an NTC tensor <c>[1, T, C]</c>
/// and of an NC tensor <c>[1, T x C]</c> alike. Each value is normalised on arrival, <c>(v - mean[c]) / std[c]</c>.
/// </summary>
public sealed class WindowAssembler
{
    private readonly float[] _ring;
    private readonly DateTimeOffset[] _times;
    private readonly float[] _mean;
    private readonly float[] _inverseStd;
    private int _head;
    private int _filled;
    private int _sinceWindow;

    /// <param name="mean">Per channel; null for 0.</param>
    /// <param name="std">Per channel; null for 1.</param>
    public WindowAssembler(int channels, int window, int hop, IReadOnlyList<float>? mean, IReadOnlyList<float>? std)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hop);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hop, window);
        CheckNormalisation(channels, mean, std);
        Channels = channels;
        Window = window;
        Hop = hop;
        _ring = new float[channels * window];
        _times = new DateTimeOffset[window];
        _mean = [.. mean ?? Enumerable.Repeat(0f, channels)];
        _inverseStd = [.. (std ?? Enumerable.Repeat(1f, channels)).Select(s => 1f / s)];
    }

    /// <exception cref="ArgumentException">A descriptor's mean or std does not fit <paramref name="channels"/>.</exception>
    public static void CheckNormalisation(int channels, IReadOnlyList<float>? mean, IReadOnlyList<float>? std)
    {
        if (mean is not null && mean.Count != channels)
        {
            throw new ArgumentException($"the descriptor's mean has {mean.Count} values for {channels} channel(s)", nameof(mean));
        }

        if (std is not null && (std.Count != channels || std.Any(s => !(s > 0))))
        {
            throw new ArgumentException($"the descriptor's std must hold {channels} positive value(s)", nameof(std));
        }
    }

    /// <summary>
    /// Another model's normalisation (after a model update): the samples already held are normalised again from
    /// their raw values, so the next window is whole under the new model's mean and std.
    /// </summary>
    /// <exception cref="ArgumentException">The mean or std does not fit the channels.</exception>
    public void Renormalise(IReadOnlyList<float>? mean, IReadOnlyList<float>? std)
    {
        CheckNormalisation(Channels, mean, std);
        float[] nextMean = [.. mean ?? Enumerable.Repeat(0f, Channels)];
        float[] nextInverseStd = [.. (std ?? Enumerable.Repeat(1f, Channels)).Select(s => 1f / s)];
        for (var i = 0; i < _ring.Length; i++)
        {
            var c = i % Channels;
            var raw = (_ring[i] / _inverseStd[c]) + _mean[c];
            _ring[i] = (raw - nextMean[c]) * nextInverseStd[c];
        }

        nextMean.CopyTo(_mean, 0);
        nextInverseStd.CopyTo(_inverseStd, 0);
    }

    public int Channels { get; }

    public int Window { get; }

    public int Hop { get; }

    /// <summary>The first sample's time in the window completed last.</summary>
    public DateTimeOffset StartTime => _times[_head];

    /// <summary>The last sample's time in the window completed last.</summary>
    public DateTimeOffset EndTime => _times[(_head + Window - 1) % Window];

    /// <summary>How many more samples complete the next window.</summary>
    public int SamplesToNextWindow => _filled < Window ? Window - _filled : Hop - _sinceWindow;

    /// <summary>Adds one sample; true when it completes a window (the first after <see cref="Window"/> samples, then every <see cref="Hop"/>).</summary>
    public bool Add(ReadOnlySpan<float> values, DateTimeOffset timestamp)
    {
        if (values.Length != Channels)
        {
            throw new ArgumentException($"a sample of {values.Length} value(s) for {Channels} channel(s)", nameof(values));
        }

        var slot = _ring.AsSpan(_head * Channels, Channels);
        for (var c = 0; c < slot.Length; c++)
        {
            slot[c] = (values[c] - _mean[c]) * _inverseStd[c];
        }

        _times[_head] = timestamp;
        _head = (_head + 1) % Window;
        if (_filled < Window)
        {
            _filled++;
            if (_filled < Window)
            {
                return false;
            }

            _sinceWindow = 0;
            return true;
        }

        if (++_sinceWindow < Hop)
        {
            return false;
        }

        _sinceWindow = 0;
        return true;
    }

    /// <summary>The completed window, oldest sample first, into <paramref name="tensor"/> (Window x Channels floats).</summary>
    public void CopyTo(Span<float> tensor)
    {
        if (tensor.Length != _ring.Length)
        {
            throw new ArgumentException($"the tensor holds {tensor.Length} values; a window is {Window} x {Channels}", nameof(tensor));
        }

        var split = _head * Channels;
        _ring.AsSpan(split).CopyTo(tensor);
        _ring.AsSpan(0, split).CopyTo(tensor[(_ring.Length - split)..]);
    }

    /// <summary>Starts over (after a gap in the stream): the next window needs <see cref="Window"/> new samples.</summary>
    public void Reset()
    {
        _head = 0;
        _filled = 0;
        _sinceWindow = 0;
    }
}
