using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Mqtt;
using EdgeAgent.Onnx.Benchmarking;
using EdgeAgent.Outbox;

namespace EdgeAgent.Daemon;

/// <summary>
/// The <c>telemetry</c> topic every 10 s at QoS 0: per stream fps in and inferred, drops, samples lost and invalid, latency percentiles; the
/// CPU's temperature (null where no thermal zone exists), CPU %, RSS, the outbox, and each stream's provider.
/// </summary>
internal sealed class TelemetryPublisher(string device, string topic, IReadOnlyList<RunningStream> streams, DurableOutbox outbox, IMqttPublisher client, TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken stopping)
    {
        var previous = streams.Select(s => (Read: s.Source.ItemsRead, Inferred: s.Pipeline.Inferred)).ToArray();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = time.GetTimestamp();
        while (true)
        {
            await Task.Delay(Interval, time, stopping);
            var elapsed = time.GetElapsedTime(started).TotalSeconds;
            started = time.GetTimestamp();
            using var process = Process.GetCurrentProcess();
            var cpuNow = process.TotalProcessorTime;
            var cpuPercent = (cpuNow - cpu).TotalSeconds / elapsed / Environment.ProcessorCount * 100;
            cpu = cpuNow;
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("device", device);
                json.WriteString("ts", StatusDocument.Timestamp(time.GetUtcNow()));
                json.WriteStartObject("streams");
                for (var i = 0; i < streams.Count; i++)
                {
                    var stream = streams[i];
                    var (read, inferred) = (stream.Source.ItemsRead, stream.Pipeline.Inferred);
                    json.WriteStartObject(stream.Name);
                    json.WriteNumber("fps_in", Math.Round((read - previous[i].Read) / elapsed, 2));
                    json.WriteNumber("fps_inferred", Math.Round((inferred - previous[i].Inferred) / elapsed, 2));
                    json.WriteNumber("frames_dropped", stream.Source.FramesDropped);
                    json.WriteNumber("inference_errors", stream.Pipeline.Failed);
                    json.WriteNumber("samples_lost", stream.Source.SamplesLost);
                    json.WriteNumber("samples_invalid", stream.Source.SamplesInvalid);
                    var latencies = stream.Pipeline.TakeLatencies();
                    json.WriteStartObject("latency_ms");
                    if (latencies.Length > 0)
                    {
                        Array.Sort(latencies);
                        json.WriteNumber("p50", Math.Round(LatencyStatistics.Percentile(latencies, 0.50), 2));
                        json.WriteNumber("p95", Math.Round(LatencyStatistics.Percentile(latencies, 0.95), 2));
                        json.WriteNumber("p99", Math.Round(LatencyStatistics.Percentile(latencies, 0.99), 2));
                    }

                    json.WriteEndObject();
                    json.WriteString("provider", stream.Provider);
                    json.WriteEndObject();
                    previous[i] = (read, inferred);
                }

                json.WriteEndObject();
                if (CpuTemperature() is { } celsius)
                {
                    json.WriteNumber("cpu_temp_c", celsius);
                }
                else
                {
                    json.WriteNull("cpu_temp_c");
                }

                json.WriteNumber("cpu_percent", Math.Round(cpuPercent, 1));
                json.WriteNumber("rss_mb", Math.Round(process.WorkingSet64 / 1048576.0, 1));
                json.WriteStartObject("outbox");
                json.WriteNumber("depth", outbox.Depth);
                json.WriteNumber("bytes", outbox.Bytes);
                json.WriteNumber("records_dropped", outbox.Dropped);
                json.WriteNumber("write_failures", outbox.WriteFailures);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            try
            {
                await client.PublishAsync(topic, buffer.ToArray(), MqttQos.AtMostOnce, retain: false, stopping);
            }
            catch (MosquittoException)
            {
                // Telemetry is a snapshot: a missed one is replaced by the next.
            }
        }
    }

    private static double? CpuTemperature()
    {
        const string zone = "/sys/class/thermal/thermal_zone0/temp";
        return File.Exists(zone) && double.TryParse(File.ReadAllText(zone).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milli)
            ? Math.Round(milli / 1000, 1)
            : null;
    }
}
