namespace EdgeAgent.Sensors;

/// <summary>How a sensor source buffers and how it is kept alive.</summary>
public sealed record SensorSettings
{
    /// <summary>Samples that may wait for the pipeline before new ones are lost.</summary>
    public int BufferSamples { get; init; } = 4096;

    /// <summary>
    /// The most samples the pipeline waits for before it is woken (fewer when its next window needs fewer): each
    /// wake-up costs more than a sample, so a fast sensor is handed over in batches, and a slow one still moves.
    /// </summary>
    public int BatchSamples { get; init; } = 1;

    /// <summary>Off, a feed that can be paused (sim, replay) runs as fast as the pipeline takes samples and waits instead of losing any.</summary>
    public bool Realtime { get; init; } = true;

    /// <summary>The first wait before reopening a lost sensor; it doubles, with jitter, up to <see cref="MaxRestartDelay"/>.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRestartDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a sensor must deliver before its next loss counts as new (the backoff starts over).</summary>
    public TimeSpan HealthyAfter { get; init; } = TimeSpan.FromSeconds(30);
}
