namespace EdgeAgent.Sensors.Sim;

/// <summary>
/// Scores detected anomalies against the ones the simulator injected, per anomaly (as models/make_demo_anomaly.py
/// does): a start is right when its first window ends in an injected anomaly or starts by its last sample (the
/// hysteresis waits for windows); an injected anomaly is found when such a start falls in it.
/// </summary>
public static class SimScoring
{
    /// <param name="windowStarts">The sample index of each started anomaly's first window.</param>
    /// <param name="samples">The samples the stream went through; null for up to the last start's window (an anomaly beyond it may not have been reached).</param>
    public static (double Precision, double Recall) Score(SimSignal signal, IReadOnlyList<long> windowStarts, int window, long? samples = null)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(windowStarts);
        var last = samples ?? (windowStarts.Count > 0 ? windowStarts.Max() + window : 0);
        var injected = signal.Anomalies(last).Where(a => a.Start < last - window).ToArray();
        bool Overlaps(long start, (long Start, long End, SimAnomaly Kind) anomaly) => start + window > anomaly.Start && start <= anomaly.End;
        var right = windowStarts.Count(s => injected.Any(a => Overlaps(s, a)));
        var found = injected.Count(a => windowStarts.Any(s => Overlaps(s, a)));
        return ((double)right / Math.Max(windowStarts.Count, 1), (double)found / Math.Max(injected.Length, 1));
    }
}
