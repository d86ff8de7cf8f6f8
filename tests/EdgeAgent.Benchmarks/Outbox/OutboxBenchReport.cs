using System.Text.Json.Serialization;
using EdgeAgent.Onnx.Benchmarking;

namespace EdgeAgent.Benchmarks.Outbox;

/// <summary>The outbox section's run, as printed and as written to <c>artifacts/bench/outbox.json</c>.</summary>
/// <param name="OursPerSecond">Results per second through the outbox, per block, timed at the subscriber (first to last arrival).</param>
/// <param name="PeerPerSecond">Messages per second from <c>mosquitto_pub -q 1 -l</c>, per block, timed the same way.</param>
/// <param name="OursOverPeer">Our rate divided by the peer's, per interleaved repeat.</param>
/// <param name="OursCpuUsPerMessage">This process's CPU (user and system) per result while a block was in flight: sink, outbox, client, its network thread, and the subscriber's reader.</param>
/// <param name="PeerCpuUsPerMessage">mosquitto_pub's CPU per message, from getrusage of the reaped child.</param>
/// <param name="EnqueueLatency">Each measured <c>IResultSink.Enqueue</c> (append, flush and the batch's fsync when due), in milliseconds.</param>
/// <param name="BytesPerResult">Managed bytes the whole process allocated per result while a block was in flight, per block.</param>
/// <param name="PacedBytesPerResult">Managed bytes the whole process allocated per result sent one at a time, each after the one before was acknowledged (the publishing loop idle between them, as at camera rates).</param>
internal sealed record OutboxBenchReport(
    DateTimeOffset StartedAt,
    double ElapsedSeconds,
    string Broker,
    string Cpu,
    int Cores,
    string FileSystem,
    OutboxBenchSettings Settings,
    PairedStatistic OursPerSecond,
    PairedStatistic PeerPerSecond,
    PairedStatistic OursOverPeer,
    PairedStatistic OursCpuUsPerMessage,
    PairedStatistic PeerCpuUsPerMessage,
    LatencyStatistics EnqueueLatency,
    PairedStatistic BytesPerResult,
    double PacedBytesPerResult,
    IReadOnlyList<TargetCheck> Targets);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(OutboxBenchReport))]
internal sealed partial class OutboxJsonContext : JsonSerializerContext;
