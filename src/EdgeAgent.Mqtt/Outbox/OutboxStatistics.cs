namespace EdgeAgent.Mqtt.Outbox;

/// <summary>The outbox's counters, for telemetry.</summary>
public readonly record struct OutboxStatistics(
    long Records,
    long Bytes,
    long Dropped,
    long Corrupt,
    long WriteFailures,
    long Rejected);
