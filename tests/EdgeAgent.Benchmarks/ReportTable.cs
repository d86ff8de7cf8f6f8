using System.Globalization;
using EdgeAgent.Onnx.Benchmarking;

namespace EdgeAgent.Benchmarks;

/// <summary>The console table: one line per row, then the targets with PASS or FAIL.</summary>
internal static class ReportTable
{
    private static readonly string[] s_headers =
    [
        "model", "thr", "ours p50", "ours/s", "bare p50", "bare/s", "node p50", "node/s",
        "ours/bare thr [IQR]", "node/ours thr [IQR]", "ovh ours", "ovh node", "B/run",
    ];

    public static void Print(TextWriter output, BenchReport report)
    {
        output.WriteLine($"ONNX Runtime {report.OnnxRuntime} ({report.Library}); onnxruntime-node {report.OnnxRuntimeNode ?? "not run"}{(report.SameLibraryBytes ? ", the same library bytes" : string.Empty)}");
        output.WriteLine($"providers in the library: {string.Join(", ", report.Providers)}; every row runs on CPU");
        output.WriteLine($"{report.Cpu}, {report.Cores} cores; {report.Settings.Pairs} interleaved repeats of ~{report.Settings.BlockMs:0} ms blocks per side; sequential, graph optimisation all, inter-op 1");
        output.WriteLine("ours = SessionBinding.Run over bound tensors; bare = the table's Run slot on the same session and OrtValues; node = await session.run(feeds), outputs allocated per run");
        output.WriteLine("p50 per run; /s = runs per second; thr ratios = median [IQR] of per-repeat ratios of block p50s; ovh = median per-repeat p50 above bare");
        output.WriteLine();

        var lines = new List<string[]> { s_headers };
        lines.AddRange(report.Rows.Select(Cells));
        var widths = Enumerable.Range(0, s_headers.Length).Select(c => lines.Max(l => l[c].Length)).ToArray();
        foreach (var line in lines)
        {
            output.WriteLine(string.Join("  ", line.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }

        output.WriteLine();
        foreach (var check in report.Targets)
        {
            output.WriteLine($"{(check.Passed ? "PASS" : "FAIL")}  {check.Target}: {check.Detail}");
        }
    }

    private static string[] Cells(RowResult row) =>
    [
        row.IsOverheadProbe ? $"{row.Model} (overhead probe)" : row.Model,
        row.Threads.ToString(CultureInfo.InvariantCulture),
        Latency(row.Ours),
        Rate(row.Ours),
        Latency(row.Bare),
        Rate(row.Bare),
        row.Node is null ? "-" : Latency(row.Node),
        row.Node is null ? "-" : Rate(row.Node),
        Ratio(row.OursOverBare),
        row.NodeOverOurs is null ? "-" : Ratio(row.NodeOverOurs),
        Micro(row.OursOverheadUs.Median),
        row.NodeOverheadUs is null ? "-" : Micro(row.NodeOverheadUs.Median),
        row.BytesPerRun.ToString("0.##", CultureInfo.InvariantCulture),
    ];

    private static string Latency(LatencyStatistics stats) => stats.P50Ms < 1
        ? string.Create(CultureInfo.InvariantCulture, $"{stats.P50Ms * 1000:0.00} us")
        : string.Create(CultureInfo.InvariantCulture, $"{stats.P50Ms:0.000} ms");

    private static string Rate(LatencyStatistics stats) => stats.RunsPerSecond >= 10_000
        ? string.Create(CultureInfo.InvariantCulture, $"{stats.RunsPerSecond / 1000:0.0}k")
        : string.Create(CultureInfo.InvariantCulture, $"{stats.RunsPerSecond:0.0}");

    private static string Ratio(PairedStatistic ratio) =>
        string.Create(CultureInfo.InvariantCulture, $"{ratio.Median:0.000} [{ratio.P25:0.000}-{ratio.P75:0.000}]");

    private static string Micro(double us) => string.Create(CultureInfo.InvariantCulture, $"{us:+0.00;-0.00} us");
}
