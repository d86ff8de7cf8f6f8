namespace EdgeAgent.Sensors;

/// <summary>
/// Where a sensor stream's samples come from: opened at every (re)start of the source, then read one sample at a
/// time. Failures are exceptions: <see cref="SensorUnavailableException"/> loses the source (it is opened again with
/// backoff), <see cref="SensorValueException"/> skips one sample, <see cref="EndOfStreamException"/> ends the stream.
/// </summary>
public interface ISensorFeed : IDisposable
{
    int Channels { get; }

    /// <summary>What it reads, for logs: "iio lsm6dsl: accel_x, accel_y".</summary>
    string Description { get; }

    /// <summary>
    /// True when <see cref="ReadAsync"/> blocks its thread until the sample is due or arrives (a polled sensor in real
    /// time, a command's output), so it returns completed; the source then reads it on a thread of its own. False when
    /// it awaits.
    /// </summary>
    bool Blocking { get; }

    void Open();

    /// <summary>Waits for the next sample, writes one value per channel into <paramref name="values"/>, and returns its time.</summary>
    ValueTask<DateTimeOffset> ReadAsync(float[] values, CancellationToken cancellationToken);

    /// <summary>Releases what <see cref="Open"/> acquired (files, a process), so it can be opened again.</summary>
    void Close();
}
