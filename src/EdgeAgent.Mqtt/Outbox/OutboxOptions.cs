namespace EdgeAgent.Mqtt.Outbox;

/// <summary>Where the outbox keeps its files and how much it may hold.</summary>
public sealed class OutboxOptions
{
    public required string Directory { get; init; }

    /// <summary>The most bytes of unacknowledged records on disk; beyond it the oldest segment is dropped.</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>A segment file is closed and a new one started beyond this size; dropping happens a segment at a time.</summary>
    public int SegmentBytes { get; init; } = 1024 * 1024;

    /// <summary>fsync once this many bytes were written since the last one...</summary>
    public int FsyncBytes { get; init; } = 256 * 1024;

    /// <summary>...or once this long has passed with anything written: the most a power loss can take.</summary>
    public TimeSpan FsyncInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Records published and not yet acknowledged at once.</summary>
    public int MaxInFlight { get; init; } = 256;

    /// <summary>Sequence numbers reserved on disk ahead of use, so a crash leaves a gap rather than reusing one.</summary>
    public int SeqReservation { get; init; } = 1024;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("Outbox:Path must name a directory", nameof(Directory));
        }

        if (SegmentBytes < 4096 || MaxBytes < 2L * SegmentBytes)
        {
            throw new ArgumentException($"Outbox:MaxBytes = {MaxBytes} must be at least two segments of {SegmentBytes} bytes (segments at least 4096)", nameof(MaxBytes));
        }

        if (FsyncBytes <= 0 || FsyncInterval <= TimeSpan.Zero || MaxInFlight <= 0 || SeqReservation <= 0)
        {
            throw new ArgumentException("Outbox: FsyncBytes, FsyncInterval, MaxInFlight and SeqReservation must be more than zero");
        }
    }
}
