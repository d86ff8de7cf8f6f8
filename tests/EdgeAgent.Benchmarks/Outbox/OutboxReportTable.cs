using System.Globalization;

namespace EdgeAgent.Benchmarks.Outbox;

/// <summary>The outbox section's console output: the set-up, the two sides, the ratio, latency, allocation, the targets.</summary>
internal static class OutboxReportTable
{
    public static void Print(TextWriter output, OutboxBenchReport report)
    {
        var settings = report.Settings;
        output.WriteLine();
        output.WriteLine($"outbox: {report.Broker}; QoS 1; {settings.PayloadBytes}-byte payloads; {settings.Messages:N0} messages per block; {settings.Pairs} interleaved pairs, order alternating");
        output.WriteLine($"{report.Cpu}, {report.Cores} cores; outbox on {report.FileSystem}, fsync every 256 records or 200 ms (the daemon's defaults)");
        output.WriteLine("ours = IResultSink.Enqueue -> DurableOutbox -> MqttClient, acknowledged by PUBACK; peer = mosquitto_pub -q 1 -l (libmosquitto, C)");
        output.WriteLine("one mosquitto_sub -q 1 attached throughout; rates timed at it, first to last arrival of each block; median [IQR] over blocks");
        output.WriteLine();
        output.WriteLine($"  outbox             {Rate(report.OursPerSecond)} msg/s");
        output.WriteLine($"  mosquitto_pub -l   {Rate(report.PeerPerSecond)} msg/s");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  outbox / peer      {report.OursOverPeer.Median:0.000} [{report.OursOverPeer.P25:0.000}-{report.OursOverPeer.P75:0.000}]"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  CPU per message    ours {report.OursCpuUsPerMessage.Median:0.0} us [{report.OursCpuUsPerMessage.P25:0.0}-{report.OursCpuUsPerMessage.P75:0.0}] (less the subscriber's reader), mosquitto_pub {report.PeerCpuUsPerMessage.Median:0.0} us [{report.PeerCpuUsPerMessage.P25:0.0}-{report.PeerCpuUsPerMessage.P75:0.0}]"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  enqueue            p50 {report.EnqueueLatency.P50Ms * 1000:0.0} us, p90 {report.EnqueueLatency.P90Ms * 1000:0.0} us, p99 {report.EnqueueLatency.P99Ms * 1000:0.0} us, max {report.EnqueueLatency.MaxMs:0.000} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  allocated          {report.BytesPerResult.Median:0.00} [{report.BytesPerResult.P25:0.00}-{report.BytesPerResult.P75:0.00}] B/result (whole process, block in flight)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  allocated paced    {report.PacedBytesPerResult:0.00} B/result (one at a time, each after the last was acknowledged)"));
        output.WriteLine();
        foreach (var check in report.Targets)
        {
            output.WriteLine($"{(check.Passed ? "PASS" : "FAIL")}  {check.Target}: {check.Detail}");
        }
    }

    private static string Rate(PairedStatistic rate) =>
        string.Create(CultureInfo.InvariantCulture, $"{rate.Median,8:N0} [{rate.P25:N0}-{rate.P75:N0}]");
}
