namespace EdgeAgent.Sources;

public enum SourceState
{
    /// <summary>Started, no frame yet.</summary>
    Starting,

    /// <summary>Delivering frames.</summary>
    Running,

    /// <summary>Lost, waiting to restart: the stream is degraded.</summary>
    Backoff,

    Stopped,
}
