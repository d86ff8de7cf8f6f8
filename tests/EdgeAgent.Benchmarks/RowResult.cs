using EdgeAgent.Onnx.Benchmarking;

namespace EdgeAgent.Benchmarks;

/// <summary>Everything measured for one row.</summary>
/// <param name="OursOverBare">Our throughput divided by the bare calls', per repeat (bare block p50 / our block p50).</param>
/// <param name="NodeOverOurs">Node's throughput divided by ours, per repeat (our block p50 / Node's block p50).</param>
/// <param name="OursOverheadUs">Our block p50 minus the bare block p50, per repeat, in microseconds.</param>
/// <param name="NodeOverheadUs">Node's block p50 minus the bare block p50, per repeat, in microseconds.</param>
/// <param name="BytesPerRun">Managed bytes this thread allocated per timed run through our binding.</param>
internal sealed record RowResult(
    string Model,
    int Threads,
    bool IsClassifier,
    bool IsOverheadProbe,
    IReadOnlyList<string> Inputs,
    IReadOnlyDictionary<string, int> RunsPerBlock,
    LatencyStatistics Ours,
    LatencyStatistics Bare,
    LatencyStatistics? Node,
    PairedStatistic OursOverBare,
    PairedStatistic? NodeOverOurs,
    PairedStatistic OursOverheadUs,
    PairedStatistic? NodeOverheadUs,
    double BytesPerRun,
    long AllocatedBytes,
    long MeasuredRuns);
