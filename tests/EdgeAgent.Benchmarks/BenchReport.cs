using System.Text.Json.Serialization;
using EdgeAgent.Onnx.Benchmarking;

namespace EdgeAgent.Benchmarks;

/// <summary>The whole run, as printed and as written to <c>artifacts/bench/onnx.json</c>.</summary>
/// <param name="SameLibraryBytes">Our library file and the one onnxruntime-node loads have the same sha256.</param>
internal sealed record BenchReport(
    DateTimeOffset StartedAt,
    double ElapsedSeconds,
    string OnnxRuntime,
    string Library,
    IReadOnlyList<string> Providers,
    string? OnnxRuntimeNode,
    string? NodeLibrary,
    bool SameLibraryBytes,
    string? NodeMissing,
    string Cpu,
    int Cores,
    BenchSettings Settings,
    IReadOnlyList<RowResult> Rows,
    IReadOnlyList<TargetCheck> Targets);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(BenchReport))]
[JsonSerializable(typeof(LatencyStatistics))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
