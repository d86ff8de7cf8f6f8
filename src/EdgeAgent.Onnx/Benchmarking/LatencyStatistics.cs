namespace EdgeAgent.Onnx.Benchmarking;

/// <summary>Summary of per-run latencies in milliseconds: extremes, percentiles (nearest rank) and throughput.</summary>
public sealed record LatencyStatistics(int Count, double MinMs, double P50Ms, double P90Ms, double P99Ms, double MaxMs, double MeanMs, double RunsPerSecond)
{
    public static LatencyStatistics From(IReadOnlyCollection<double> samplesMs)
    {
        ArgumentNullException.ThrowIfNull(samplesMs);
        if (samplesMs.Count == 0)
        {
            throw new ArgumentException("no samples", nameof(samplesMs));
        }

        var sorted = samplesMs.Order().ToArray();
        var total = sorted.Sum();
        return new LatencyStatistics(
            sorted.Length,
            sorted[0],
            Percentile(sorted, 0.50),
            Percentile(sorted, 0.90),
            Percentile(sorted, 0.99),
            sorted[^1],
            total / sorted.Length,
            total > 0 ? sorted.Length * 1000.0 / total : 0);
    }

    /// <summary>The nearest-rank percentile of sorted samples.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
