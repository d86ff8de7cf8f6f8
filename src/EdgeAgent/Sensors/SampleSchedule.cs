namespace EdgeAgent.Sensors;

/// <summary>
/// When each sample is due at a fixed rate: sample n at start + n / rate, computed from the start every time, so
/// the schedule never drifts. A sample whose slot passed before it could be taken is still taken (at once) and
/// counted as late; the samples after it come back onto the schedule.
/// </summary>
public sealed class SampleSchedule
{
    private readonly TimeProvider _time;
    private readonly double _ticksPerSample;
    private long _startTimestamp;
    private DateTimeOffset _startTime;
    private long _next;
    private long _late;

    public SampleSchedule(double rateHz, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rateHz);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        RateHz = rateHz;
        _ticksPerSample = time.TimestampFrequency / rateHz;
    }

    public double RateHz { get; }

    /// <summary>Samples taken after the slot of the sample following them had already begun.</summary>
    public long Late => Interlocked.Read(ref _late);

    /// <summary>Waits for the next sample's slot; returns its index (from 0) and its scheduled time.</summary>
    public async ValueTask<(long Index, DateTimeOffset Timestamp)> WaitAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (_next == 0)
        {
            _startTimestamp = now;
            _startTime = _time.GetUtcNow();
        }

        var index = _next++;
        var due = _startTimestamp + (long)(index * _ticksPerSample);
        if (now < due)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)(due - now) / _time.TimestampFrequency), _time, cancellationToken);
        }
        else if (now >= _startTimestamp + (long)(_next * _ticksPerSample))
        {
            Interlocked.Increment(ref _late);
        }

        return (index, _startTime.AddSeconds(index / RateHz));
    }
}
