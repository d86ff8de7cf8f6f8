using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EdgeAgent.Onnx.Benchmarking;
using EdgeAgent.Protocol;
using EdgeAgent.Testing;

namespace EdgeAgent.Benchmarks.Outbox;

/// <summary>
/// Results through the outbox against <c>mosquitto_pub -q 1 -l</c>: the same broker, the same subscriber, the same
/// number of same-sized messages per block, blocks interleaved with the order alternating; then the targets.
/// </summary>
internal static class OutboxBenchmark
{
    private const string Device = "bench";
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    public static int Run(OutboxBenchSettings settings)
    {
        if (settings.Messages < 1_000 || settings.Pairs < 1 || settings.PayloadBytes is < 64 or > 65_536)
        {
            Console.Error.WriteLine("bench outbox: --messages must be at least 1000, --pairs at least 1, --payload-bytes 64 to 65536");
            return 2;
        }

        var started = DateTimeOffset.Now;
        var watch = Stopwatch.StartNew();
        var state = Directory.CreateDirectory(Path.Combine(Path.GetFullPath(settings.StateDirectory), $"edge-agent-bench-outbox-{Guid.NewGuid():N}")).FullName;
        try
        {
            using var broker = MosquittoBroker.StartAsync().GetAwaiter().GetResult();
            var topics = new Topics("edge");
            var payload = Payload(settings.PayloadBytes);
            var peer = new MosquittoPubSide(broker.Port, topics.Results(Device, OutboxSide.Stream), MosquittoPubSide.WriteLines(state, payload, settings.Messages));
            using var subscriber = ArrivalCounter.Start(broker.Port, topics.Results(Device, "#"));
            var ours = new OutboxSide(state, broker.Port, topics, Device);
            try
            {
                ours.WaitUntilConnected(s_timeout);
                WaitForSubscription(subscriber, ours, payload);
                var report = Measure(settings, broker, subscriber, ours, peer, payload, state, started, watch);
                OutboxReportTable.Print(Console.Out, report);
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.JsonPath))!);
                File.WriteAllText(settings.JsonPath, JsonSerializer.Serialize(report, OutboxJsonContext.Default.OutboxBenchReport));
                Console.Out.WriteLine($"wrote {settings.JsonPath} after {report.ElapsedSeconds:0.0} s");
            }
            finally
            {
                ours.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }

        return 0;
    }

    private static OutboxBenchReport Measure(
        OutboxBenchSettings settings, MosquittoBroker broker, ArrivalCounter subscriber, OutboxSide ours, MosquittoPubSide peer,
        byte[] payload, string state, DateTimeOffset started, Stopwatch watch)
    {
        var n = settings.Messages;
        var ticks = new long[n * settings.Pairs];
        Console.Error.WriteLine($"bench: outbox, warm-up and {settings.Pairs} pairs of {n:N0}-message blocks");
        // Tiered compilation keeps promoting our methods for a while; the peer is compiled C.
        for (var warmup = 0; warmup < 3; warmup++)
        {
            RunOurs(subscriber, ours, payload, ticks.AsSpan(0, n));
        }

        RunPeer(subscriber, peer, n);

        var oursBlocks = new List<Block>();
        var peerBlocks = new List<Block>();
        for (var pair = 0; pair < settings.Pairs; pair++)
        {
            var window = ticks.AsSpan(pair * n, n);
            if (pair % 2 == 0)
            {
                oursBlocks.Add(RunOurs(subscriber, ours, payload, window));
                peerBlocks.Add(RunPeer(subscriber, peer, n));
            }
            else
            {
                peerBlocks.Add(RunPeer(subscriber, peer, n));
                oursBlocks.Add(RunOurs(subscriber, ours, payload, window));
            }
        }

        var paced = RunPaced(ours, payload);
        var ratios = oursBlocks.Zip(peerBlocks, (o, p) => o.Rate / p.Rate).ToList();

        var latency = LatencyStatistics.From(RunTimer.ToMilliseconds(ticks));
        var ratio = PairedStatistic.From(ratios);
        var allocation = PairedStatistic.From([.. oursBlocks.Select(b => b.BytesPerMessage)]);
        return new OutboxBenchReport(
            started,
            Math.Round(watch.Elapsed.TotalSeconds, 1),
            $"{FirstLine("mosquitto", "-h")} on 127.0.0.1:{broker.Port}",
            MachineInfo.Cpu(),
            Environment.ProcessorCount,
            FirstLine("stat", "-f", "-c", "%T", state),
            settings,
            PairedStatistic.From([.. oursBlocks.Select(b => b.Rate)]),
            PairedStatistic.From([.. peerBlocks.Select(b => b.Rate)]),
            ratio,
            PairedStatistic.From([.. oursBlocks.Select(b => b.CpuUsPerMessage)]),
            PairedStatistic.From([.. peerBlocks.Select(b => b.CpuUsPerMessage)]),
            latency,
            allocation,
            paced,
            OutboxTargets.Evaluate(ratio, latency, allocation, n, paced));
    }

    /// <summary>
    /// One block through the outbox: its rate at the subscriber, this process's CPU (less the subscriber's reader)
    /// and managed bytes allocated per result while it was in flight.
    /// </summary>
    private static Block RunOurs(ArrivalCounter subscriber, OutboxSide ours, byte[] payload, Span<long> ticks)
    {
        subscriber.Arm(ticks.Length);
        var cpu = CpuTime.Self - subscriber.ReaderCpu;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        ours.Enqueue(payload, ticks.Length, ticks);
        var (first, last) = subscriber.WaitForBlock(s_timeout);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        cpu = CpuTime.Self - subscriber.ReaderCpu - cpu;
        ours.WaitUntilDrained(s_timeout);
        return new Block(Rate(ticks.Length, first, last), cpu.TotalMicroseconds / ticks.Length, allocated / (double)ticks.Length);
    }

    /// <summary>
    /// Managed bytes per result when each is queued alone after the one before was acknowledged: the publishing loop
    /// goes idle and wakes for every result, which is how a daemon at camera rates uses it.
    /// </summary>
    private static double RunPaced(OutboxSide ours, byte[] payload)
    {
        const int Results = 2_000;
        var ticks = new long[1];
        for (var warmup = 0; warmup < 500; warmup++)
        {
            ours.Enqueue(payload, 1, ticks);
            ours.WaitUntilDrained(s_timeout);
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Results; i++)
        {
            ours.Enqueue(payload, 1, ticks);
            ours.WaitUntilDrained(s_timeout);
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Results;
    }

    /// <summary>One block from mosquitto_pub: its rate at the subscriber and its CPU per message.</summary>
    private static Block RunPeer(ArrivalCounter subscriber, MosquittoPubSide peer, int count)
    {
        subscriber.Arm(count);
        var cpu = CpuTime.Children;
        peer.Run(s_timeout);
        cpu = CpuTime.Children - cpu;
        var (first, last) = subscriber.WaitForBlock(s_timeout);
        return new Block(Rate(count, first, last), cpu.TotalMicroseconds / count, 0);
    }

    private static double Rate(int count, long firstTicks, long lastTicks) =>
        (count - 1) / RunTimer.Milliseconds(Math.Max(lastTicks - firstTicks, 1)) * 1000;

    /// <summary>Publishes probes through the outbox until mosquitto_sub has one: it is subscribed, and nothing strays into a block.</summary>
    private static void WaitForSubscription(ArrivalCounter subscriber, OutboxSide ours, byte[] payload)
    {
        var probe = new long[1];
        var deadline = Stopwatch.StartNew();
        while (subscriber.Lines == 0)
        {
            if (deadline.Elapsed > s_timeout)
            {
                throw new TimeoutException($"mosquitto_sub received no probe within {s_timeout}");
            }

            ours.Enqueue(payload, 1, probe);
            ours.WaitUntilDrained(s_timeout);
            Thread.Sleep(100);
        }

        // An earlier probe may still be on its way; let it land before the first block is armed.
        Thread.Sleep(500);
    }

    /// <summary>A JSON object of exactly <paramref name="bytes"/> bytes, no newline (mosquitto_pub -l sends one message per line).</summary>
    private static byte[] Payload(int bytes)
    {
        const string head = "{\"device\":\"bench\",\"stream\":\"cam0\",\"pad\":\"";
        const string tail = "\"}";
        return Encoding.ASCII.GetBytes(head + new string('x', bytes - head.Length - tail.Length) + tail);
    }

    private static string FirstLine(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? program;
    }

    /// <summary>One side's block: messages per second at the subscriber, CPU microseconds and managed bytes per message.</summary>
    private readonly record struct Block(double Rate, double CpuUsPerMessage, double BytesPerMessage);
}
