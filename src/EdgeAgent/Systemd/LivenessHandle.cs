namespace EdgeAgent.Systemd;

/// <summary>
/// One loop's heartbeat, from <see cref="LivenessMonitor.Register"/>. The loop calls <see cref="Beat"/> each time it
/// makes progress; if it goes longer than <see cref="MaxSilence"/> without one, the systemd watchdog is withheld and
/// the agent is restarted. Disposing it unregisters the loop.
/// </summary>
public sealed class LivenessHandle : IDisposable
{
    private readonly LivenessMonitor _monitor;
    private readonly TimeProvider _time;
    private long _lastBeat;
    private int _degraded;

    internal LivenessHandle(LivenessMonitor monitor, string name, TimeSpan maxSilence, TimeProvider time)
    {
        _monitor = monitor;
        _time = time;
        Name = name;
        MaxSilence = maxSilence;
        _lastBeat = time.GetTimestamp();
    }

    /// <summary>The loop's name, as the watchdog logs it.</summary>
    public string Name { get; }

    /// <summary>The longest the loop may go without a beat.</summary>
    public TimeSpan MaxSilence { get; }

    /// <summary>Whether the loop last said it is degraded but alive.</summary>
    public bool IsDegraded => Volatile.Read(ref _degraded) != 0;

    /// <summary>The loop made progress; this also ends a degraded spell.</summary>
    public void Beat()
    {
        Volatile.Write(ref _lastBeat, _time.GetTimestamp());
        Volatile.Write(ref _degraded, 0);
    }

    /// <summary>
    /// The loop is alive but cannot make progress for a reason it knows and handles (a camera waiting out its restart
    /// backoff): until its next <see cref="Beat"/>, its silence does not count against the watchdog, because the wait
    /// is owned by a timer, not by work that could wedge.
    /// </summary>
    public void ReportDegraded()
    {
        Volatile.Write(ref _lastBeat, _time.GetTimestamp());
        Volatile.Write(ref _degraded, 1);
    }

    /// <summary>
    /// What made the loop degraded is over (the camera delivers again) though the loop has not beaten yet: its
    /// silence counts again from now, so work that wedges before the first beat still stops the watchdog.
    /// </summary>
    public void ReportRecovered()
    {
        if (Interlocked.Exchange(ref _degraded, 0) != 0)
        {
            Volatile.Write(ref _lastBeat, _time.GetTimestamp());
        }
    }

    /// <summary>How long the loop has been silent at <paramref name="timestamp"/>; zero while degraded.</summary>
    internal TimeSpan SilenceAt(long timestamp) =>
        IsDegraded ? TimeSpan.Zero : _time.GetElapsedTime(Volatile.Read(ref _lastBeat), timestamp);

    /// <inheritdoc />
    public void Dispose() => _monitor.Unregister(this);
}
