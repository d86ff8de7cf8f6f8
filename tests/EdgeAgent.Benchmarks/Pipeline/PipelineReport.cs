using System.Globalization;
using System.Text.Json.Serialization;

namespace EdgeAgent.Benchmarks.Pipeline;

/// <summary>Everything the pipeline section measured in one run, as printed and as written to JSON.</summary>
internal sealed record PipelineReport(
    DateTimeOffset Started,
    string Cpu,
    int Cores,
    ThroughputResult Unpaced,
    ThroughputResult Paced,
    FrameCostResult FrameCost,
    IReadOnlyList<StartupResult> Startups,
    DemoVariantsResult Demo)
{
    public void Print(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine(string.Create(c, $"Pipeline: MobileNetV2-int8, 640x480 testsrc camera, intra-op threads 1 ({Cpu}, {Cores} cores)"));
        foreach (var t in new[] { Unpaced, Paced })
        {
            var camera = t.CameraFps is { } fps ? string.Create(c, $"camera {fps:0} fps") : "camera unpaced";
            output.WriteLine(string.Create(c, $"  {camera,-15} pipeline {t.PipelineFps:0.0} fps   bare Run loop {t.BareFps:0.0} fps   pipeline/bare {t.Ratio.Median:0.000} [{t.Ratio.Min:0.000}-{t.Ratio.Max:0.000}] over {t.Pairs} pairs of {t.BlockSeconds:0.#} s, each pair's inference on one CPU"));
            output.WriteLine(string.Create(c, $"  per frame       pipeline busy {t.BusyMs:0.00} ms (pre on its own thread + infer + post, mean) of {1000 / t.PipelineFps:0.00} ms between results; bare Run {1000 / t.BareFps:0.00} ms"));
            if (t.CameraBeside is { } beside)
            {
                output.WriteLine(string.Create(c, $"  camera alone    bare Run loop beside the camera and its preprocessing at the pipeline's rate, no inference thread: {beside.Median:0.000} [{beside.Min:0.000}-{beside.Max:0.000}] of the bare loop alone"));
            }

            output.WriteLine(string.Create(c, $"  allocations     {t.BytesPerFrame:0.0} managed bytes per frame through the pipeline ({t.Frames} frames, {t.SourceLosses} source losses)"));
        }

        var f = FrameCost;
        output.WriteLine(string.Create(c, $"  outside infer   {f.TotalUs:0.0} us per 640x480 rgb24 frame: resize+normalise to 224x224 {f.PreUs:0.0} us, softmax+top-3 {f.PostUs:0.0} us, result JSON to the sink {f.WriteUs:0.0} us; {f.BytesPerFrame:0.0} B/frame"));
        output.WriteLine(string.Create(c, $"  yuv420p frame   {f.YuvTotalUs:0.0} us per 640x480 yuv420p frame (exec sources: rpicam-vid): resize+normalise {f.YuvPreUs:0.0} us, {f.YuvPreUs / f.PreUs:0.00}x rgb24's in the same blocks"));
        foreach (var s in Startups)
        {
            output.WriteLine(string.Create(c, $"  start           {s.Model,-22} {(s.CachedGraph ? "cached graph" : "cold cache  ")}  READY=1 {s.ReadyMs,6:0} ms   first result {s.FirstResultMs,6:0} ms   peak RSS {s.PeakRssMiB:0.0} MiB"));
        }

        var d = Demo;
        output.WriteLine(string.Create(c, $"  demo model      int8 p50 {d.Int8.P50Ms * 1000:0.0} us, fp32 p50 {d.Fp32.P50Ms * 1000:0.0} us (int8/fp32 {d.Int8OverFp32P50:0.00}); files {d.Int8Bytes} B vs {d.Fp32Bytes} B; top-1 agreement {d.Top1Agreement:P1} over {d.Frames} frames"));
        output.WriteLine();
        output.WriteLine("Targets (issue 5):");
        var cached = Startups.Where(s => s.CachedGraph).ToList();
        Target(output, "pipeline throughput >= 0.97x the bare Run loop (camera unpaced)", Unpaced.Ratio.Median >= 0.97, Unpaced.Ratio.Median.ToString("0.000", c));
        Target(output, "< 0.5 ms per 640x480 frame outside inference", f.TotalUs < 500 && f.YuvTotalUs < 500, $"rgb24 {f.TotalUs:0.0} us, yuv420p {f.YuvTotalUs:0.0} us");
        var bytes = Math.Max(Unpaced.BytesPerFrame, Paced.BytesPerFrame);
        Target(output, "0 managed bytes per frame", bytes < 1 && f.BytesPerFrame < 1, $"{bytes:0.0} B pipeline, {f.BytesPerFrame:0.0} B steps");
        Target(output, "READY within 1.5 s (cached graphs)", cached.All(s => s.ReadyMs <= 1500), string.Join(", ", cached.Select(s => $"{s.ReadyMs:0} ms")));
        Target(output, "first result within 2 s (cached graphs)", cached.All(s => s.FirstResultMs <= 2000), string.Join(", ", cached.Select(s => $"{s.FirstResultMs:0} ms")));
    }

    private static void Target(TextWriter output, string what, bool met, string figure) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{(met ? "met" : "MISSED")}] {what}: {figure}"));
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(PipelineReport))]
internal sealed partial class PipelineJsonContext : JsonSerializerContext;
