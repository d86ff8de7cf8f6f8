using EdgeAgent.Onnx.Benchmarking;

namespace EdgeAgent.Benchmarks;

/// <summary>
/// A figure computed once per interleaved repeat (a ratio or a difference of two sides' block medians), summarised
/// by its median and spread: one repeat differs from the next by more than the overhead being measured.
/// </summary>
internal sealed record PairedStatistic(int Pairs, double Median, double P25, double P75, double Min, double Max)
{
    public static PairedStatistic From(IReadOnlyCollection<double> perPair)
    {
        var sorted = perPair.Order().ToArray();
        return new PairedStatistic(
            sorted.Length,
            LatencyStatistics.Percentile(sorted, 0.50),
            LatencyStatistics.Percentile(sorted, 0.25),
            LatencyStatistics.Percentile(sorted, 0.75),
            sorted[0],
            sorted[^1]);
    }
}
