namespace EdgeAgent.Outbox;

/// <summary>Where the outbox lives and how it trades throughput against what a power cut can take.</summary>
public sealed record OutboxSettings
{
    public required string Directory { get; init; }

    /// <summary>The file holding each key's next seq (CONTRACT.md section 3: &lt;state&gt;/seq.json).</summary>
    public required string SequenceFile { get; init; }

    /// <summary>Above this, the oldest records go (counted and reported), never the newest.</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>fsync after this many records...</summary>
    public int FsyncBatchRecords { get; init; } = 256;

    /// <summary>...or this long after the first unsynced one, whichever comes first: the window a power cut can take.</summary>
    public TimeSpan FsyncInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Records published and not yet acknowledged, at most.</summary>
    public int PublishWindow { get; init; } = 256;

    public long SegmentBytes => Math.Clamp(MaxBytes / 8, 64 * 1024, 4L * 1024 * 1024);
}
