using System.Globalization;
using EdgeAgent.Onnx.Benchmarking;

namespace EdgeAgent.Benchmarks.Outbox;

/// <summary>Issue 4's benchmark targets, checked against the figures. A miss is reported, never an exit code.</summary>
internal static class OutboxTargets
{
    public const double MinOursOverPeer = 1.0;
    public const double MaxP99Ms = 1.0;

    public static IReadOnlyList<TargetCheck> Evaluate(PairedStatistic ratio, LatencyStatistics latency, PairedStatistic bytesPerResult, int messagesPerBlock, double pacedBytesPerResult)
    {
        var ratioText = string.Create(CultureInfo.InvariantCulture, $"median {ratio.Median:0.000} (IQR {ratio.P25:0.000}-{ratio.P75:0.000}, range {ratio.Min:0.000}-{ratio.Max:0.000}) over {ratio.Pairs} pairs");
        if (ratio.P25 < MinOursOverPeer && ratio.P75 >= MinOursOverPeer)
        {
            ratioText += "; the IQR straddles the target: inconclusive on this machine, run again";
        }

        // A block costs a few fixed allocations (waits, timers); a result that allocated would cost its bytes every time.
        var fixedPerBlock = bytesPerResult.Min * messagesPerBlock;
        return
        [
            new TargetCheck($"outbox throughput >= {MinOursOverPeer:0.0}x mosquitto_pub -q 1 -l on the same broker, same subscriber", ratio.Median >= MinOursOverPeer, ratioText),
            new TargetCheck(
                $"p99 enqueue latency < {MaxP99Ms:0} ms",
                latency.P99Ms < MaxP99Ms,
                string.Create(CultureInfo.InvariantCulture, $"p50 {latency.P50Ms * 1000:0.0} us, p99 {latency.P99Ms * 1000:0.0} us, max {latency.MaxMs:0.000} ms over {latency.Count:N0} enqueues")),
            new TargetCheck(
                "0 managed bytes allocated per result in steady state",
                bytesPerResult.Median < 1 && pacedBytesPerResult < 1,
                string.Create(CultureInfo.InvariantCulture, $"median {bytesPerResult.Median:0.00} B/result over {bytesPerResult.Pairs} blocks (quietest {bytesPerResult.Min:0.00}, i.e. {fixedPerBlock:N0} B per {messagesPerBlock:N0}-result block; worst {bytesPerResult.Max:0.00}); one at a time {pacedBytesPerResult:0.00} B/result")),
        ];
    }
}
