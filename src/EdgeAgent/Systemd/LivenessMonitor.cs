namespace EdgeAgent.Systemd;

/// <summary>
/// The agent's own loops (inference, pipelines, publishing) register here and beat; the watchdog asks it whether all
/// of them are alive before each WATCHDOG=1. Beats are lock-free; registration copies a small array.
/// </summary>
public sealed class LivenessMonitor(TimeProvider time)
{
    private readonly Lock _lock = new();
    private LivenessHandle[] _handles = [];

    /// <summary>Registers a loop that must beat at least every <paramref name="maxSilence"/>; it counts as having beaten now.</summary>
    public LivenessHandle Register(string name, TimeSpan maxSilence)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxSilence, TimeSpan.Zero);
        var handle = new LivenessHandle(this, name, maxSilence, time);
        lock (_lock)
        {
            _handles = [.. _handles, handle];
        }

        return handle;
    }

    /// <summary>The loops registered now.</summary>
    public int Count => Volatile.Read(ref _handles).Length;

    /// <summary>The first registered loop that has been silent past its limit, or null while every loop is alive.</summary>
    public StalledLoop? FindStalled()
    {
        var now = time.GetTimestamp();
        foreach (var handle in Volatile.Read(ref _handles))
        {
            var silence = handle.SilenceAt(now);
            if (silence > handle.MaxSilence)
            {
                return new StalledLoop(handle.Name, silence, handle.MaxSilence);
            }
        }

        return null;
    }

    internal void Unregister(LivenessHandle handle)
    {
        lock (_lock)
        {
            _handles = Array.FindAll(_handles, h => !ReferenceEquals(h, handle));
        }
    }
}
