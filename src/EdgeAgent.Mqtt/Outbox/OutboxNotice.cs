namespace EdgeAgent.Mqtt.Outbox;

public enum OutboxNoticeKind
{
    /// <summary>The outbox was full: <see cref="OutboxNotice.Records"/> oldest records were dropped.</summary>
    Full,

    /// <summary>A torn or corrupt stretch was found by its CRC on opening and skipped.</summary>
    Corrupt,

    /// <summary>A record could not be written (a full disk, usually); it is lost, nothing queued before it is.</summary>
    WriteFailed,

    /// <summary>The broker refused a record for good (its reason code is in the text); it was removed.</summary>
    Rejected,
}

/// <summary>Something the owner should report as an event: what happened, how many records, and why.</summary>
public readonly record struct OutboxNotice(OutboxNoticeKind Kind, long Records, string Reason);
