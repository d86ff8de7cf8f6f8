namespace EdgeAgent.Sensors;

/// <summary>One sample of every channel, in a buffer reused through its <see cref="SampleRowPool"/>.</summary>
public sealed class SampleRow
{
    private readonly SampleRowPool _pool;

    internal SampleRow(SampleRowPool pool, int channels)
    {
        _pool = pool;
        Values = new float[channels];
    }

    /// <summary>One value per channel, in the channels' configured order and their units.</summary>
    public float[] Values { get; }

    /// <summary>The source's count of samples, from 0, across restarts.</summary>
    public long Index { get; set; }

    /// <summary>When the sample was scheduled (polled sources) or read (sources that push).</summary>
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>The first sample after a break in the stream (the sensor was lost and reopened, or samples before it were lost): no window spans it.</summary>
    public bool AfterGap { get; set; }

    public void Release() => _pool.Return(this);
}
