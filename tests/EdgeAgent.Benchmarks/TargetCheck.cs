using System.Globalization;

namespace EdgeAgent.Benchmarks;

/// <summary>One of issue 3's targets, checked against the measured rows. A miss is reported, never an exit code.</summary>
internal sealed record TargetCheck(string Target, bool Passed, string Detail)
{
    public const double MinOursOverBare = 0.99;

    public static IReadOnlyList<TargetCheck> Evaluate(IReadOnlyList<RowResult> rows, string? nodeMissing)
    {
        var checks = new List<TargetCheck>();
        var classifier = rows.Where(r => r.IsClassifier).ToList();
        foreach (var threads in new[] { 1, 2 })
        {
            var target = $"ours >= {MinOursOverBare:0.00}x bare throughput at p50, {ModelCase.Classifier}, {threads} thread{(threads == 1 ? "" : "s")}";
            var row = classifier.FirstOrDefault(r => r.Threads == threads);
            checks.Add(row is null
                ? new TargetCheck(target, false, "not measured")
                : new TargetCheck(target, row.OursOverBare.Median >= MinOursOverBare, RatioDetail(row.OursOverBare)));
        }

        var allocating = rows.Where(r => r.AllocatedBytes != 0).ToList();
        checks.Add(new TargetCheck(
            "0 managed bytes allocated per Run in steady state",
            allocating.Count == 0,
            allocating.Count == 0
                ? $"0 bytes over {rows.Sum(r => r.MeasuredRuns):N0} timed runs on {rows.Count} rows"
                : string.Join("; ", allocating.Select(r => $"{Label(r)}: {Fmt(r.BytesPerRun, "0.###")} B/run"))));

        const string overheadTarget = "Node's per-run overhead above bare higher than ours, every row";
        if (nodeMissing is not null)
        {
            checks.Add(new TargetCheck(overheadTarget, false, $"the Node peer did not run: {nodeMissing}"));
        }
        else
        {
            var misses = rows.Where(r => r.NodeOverheadUs!.Median <= r.OursOverheadUs.Median).ToList();
            var probe = rows.FirstOrDefault(r => r.IsOverheadProbe);
            var probeText = probe is null ? string.Empty : $"{Label(probe)}: ours {Fmt(probe.OursOverheadUs.Median, "0.00")} us, node {Fmt(probe.NodeOverheadUs!.Median, "0.00")} us";
            checks.Add(new TargetCheck(
                overheadTarget,
                misses.Count == 0,
                misses.Count == 0
                    ? $"{rows.Count}/{rows.Count} rows; {probeText}"
                    : $"missed on {string.Join(", ", misses.Select(Label))}; {probeText}"));
        }

        return checks;
    }

    // A spread wider than the margin means other load moved the blocks more than the binding can: say so beside the verdict.
    private static string RatioDetail(PairedStatistic ratio)
    {
        var text = $"median {Fmt(ratio.Median, "0.0000")} (IQR {Fmt(ratio.P25, "0.0000")}-{Fmt(ratio.P75, "0.0000")}) over {ratio.Pairs} pairs";
        return ratio.P75 - ratio.P25 > 2 * (1 - MinOursOverBare)
            ? text + "; the IQR is wider than the margin (the machine was busy): inconclusive, run again"
            : text;
    }

    public static string Label(RowResult row) => $"{row.Model} t{row.Threads}";

    private static string Fmt(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
