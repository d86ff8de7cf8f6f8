namespace EdgeAgent.Sensors;

/// <summary>
/// Reads an <see cref="ISensorReader"/> at a fixed rate on a drift-free schedule that starts again at every open.
/// Not <paramref name="realtime"/> (the simulator in tests and benchmarks), it reads as fast as it is asked and
/// stamps each sample with the time its slot would have had. In real time on the system clock it is
/// <see cref="Blocking"/>: it sleeps until each slot on the thread that reads it.
/// </summary>
public sealed class PolledFeed(ISensorReader reader, double rateHz, bool realtime, TimeProvider time) : ISensorFeed
{
    private SampleSchedule _schedule = new(rateHz, time);
    private long _lateBefore;
    private long _unpaced;
    private DateTimeOffset _unpacedStart;

    public int Channels => reader.Channels;

    public string Description => reader.Description;

    public bool Blocking => realtime && time == TimeProvider.System;

    /// <summary>Samples taken after their slot had passed (the process was busy or descheduled), since start.</summary>
    public long Late => _lateBefore + _schedule.Late;

    public void Open()
    {
        reader.Open();
        _lateBefore += _schedule.Late;
        _schedule = new SampleSchedule(rateHz, time);
        _unpaced = 0;
        _unpacedStart = time.GetUtcNow();
    }

    public async ValueTask<DateTimeOffset> ReadAsync(float[] values, CancellationToken cancellationToken)
    {
        if (!realtime)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = _unpaced++;
            reader.Read(index, values);
            return _unpacedStart.AddSeconds(index / rateHz);
        }

        var (scheduled, timestamp) = Blocking ? _schedule.Wait(cancellationToken) : await _schedule.WaitAsync(cancellationToken);
        reader.Read(scheduled, values);
        return timestamp;
    }

    public void Close() => reader.Close();

    public void Dispose() => reader.Dispose();
}
