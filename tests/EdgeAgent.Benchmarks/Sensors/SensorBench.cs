using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Pipeline;
using EdgeAgent.Sensors;
using EdgeAgent.Sensors.Sim;
using EdgeAgent.Sensors.Sysfs;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Benchmarks.Sensors;

/// <summary>
/// <c>EdgeAgent.Benchmarks sensors</c>: samples per second through a sensor pipeline (the sim source, not in real
/// time, through the int8 demo anomaly model and the result writer); samples lost, late, and the CPU they cost outside
/// inference for sources in real time (sim, replay and exec at 1 kHz, 16 sysfs channels at 100 Hz); and the demo
/// model's precision and recall on the seeded sim stream.
/// </summary>
internal static class SensorBench
{
    private const int Window = 64;
    private const int Hop = 16;

    public static Command Create(string root)
    {
        var seconds = new Option<double>("--seconds") { Description = "Seconds each measured run lasts", DefaultValueFactory = _ => 5 };
        var models = new Option<string>("--bundled-models") { Description = "The repository's models folder", DefaultValueFactory = _ => Path.Combine(root, "models") };
        var command = new Command("sensors", "Sensor streams: samples/s through the pipeline, samples lost and CPU in real time, the demo anomaly model's precision and recall")
        {
            seconds, models,
        };
        command.SetAction(parsed => Run(parsed.GetValue(seconds), parsed.GetValue(models)!, Console.Out));
        return command;
    }

    private static int Run(double seconds, string models, TextWriter output)
    {
        using var environment = OrtEnvironment.Create(OrtLibrary.Load());
        var checks = new List<(bool Passed, string Target, string Detail)>();
        output.WriteLine($"sensor streams: {Environment.ProcessorCount} cores; {seconds:0.#} s per run; windows of {Window} samples every {Hop}");
        output.WriteLine();

        var (samplesPerSecond, windowsPerSecond) = Throughput(environment, models, "demo-anomaly", seconds);
        output.WriteLine($"pipeline, sim not in real time -> demo-anomaly (int8) -> result writer: {samplesPerSecond:N0} samples/s, {windowsPerSecond:N0} windows/s");
        output.WriteLine();

        output.WriteLine("sources in real time, drained without inference (woken per quarter second of samples, as a pipeline is at most):");
        output.WriteLine("  source                     rate     samples   lost   late  CPU % of one core  bytes/sample");
        using var tree = new SysfsTree(16);
        var exec = Path.Combine(Path.GetTempPath(), $"edge-agent-bench-{Environment.ProcessId}.py");
        File.WriteAllText(exec, PacedPrinter);
        var replay = Path.Combine(Path.GetTempPath(), $"edge-agent-bench-{Environment.ProcessId}.csv");
        WriteReplay(replay, 1000, seconds + 5);
        try
        {
            var runs = new (string Name, double Rate, Func<ISensorFeed> Feed)[]
            {
                ("sim, 1 channel", 1000, () => new PolledFeed(new SimReader(new SimSignal(new SimSettings(), 1000, 1), ["x"]), 1000, true, TimeProvider.System)),
                ("replay, 1 channel", 1000, () => new ReplayFeed(replay, "time", ["x"], 0, false, true, TimeProvider.System)),
                ("exec, 1 channel", 1000, () => new ExecFeed("bench", "/usr/bin/python3", [exec, "1000"], 1, NullLogger.Instance, TimeProvider.System)),
                ("hwmon, 16 channels", 100, () => new PolledFeed(new SysfsReader("hwmon", 16, () => SysfsLocator.Hwmon(tree.Root, "bench", tree.Labels), TimeProvider.System), 100, true, TimeProvider.System)),
            };
            foreach (var (name, rate, feed) in runs)
            {
                var run = Drain(feed(), rate, seconds);
                output.WriteLine($"  {name,-24} {rate,5:0} Hz {run.Samples,10:N0} {run.Lost,6} {run.Late,6} {run.CpuPercent,12:0.00} {run.BytesPerSample,18:N0}");
                checks.Add((run.Lost == 0, $"0 samples lost at {rate:0} Hz from {name}", $"{run.Lost} lost of {run.Samples:N0}"));
                if (rate == 100)
                {
                    var peer = BareLoop(tree.Inputs, rate, seconds);
                    output.WriteLine($"  {"peer: bare loop, 16 files",-24} {rate,5:0} Hz {peer.Samples,10:N0} {"",6} {"",6} {peer.CpuPercent,12:0.00} {peer.BytesPerSample,18:N0}");
                    output.WriteLine($"  {name} costs {run.CpuPercent / peer.CpuPercent:0.00} x the CPU of the bare loop");
                    checks.Add((run.CpuPercent < 2, $"< 2% of one core outside inference at 100 Hz ({name})", $"{run.CpuPercent:0.00}%"));
                }
            }
        }
        finally
        {
            File.Delete(exec);
            File.Delete(replay);
        }

        output.WriteLine();
        output.WriteLine("demo-anomaly on the seeded sim stream (seed 1, 60 minutes at 100 Hz, an anomaly in every 20 s but the first; hysteresis 2 in, 3 out at 0.7):");
        foreach (var model in new[] { "demo-anomaly", "demo-anomaly-fp32" })
        {
            var (precision, recall, started, injected) = Detection(environment, models, model, samples: 360_000);
            output.WriteLine($"  {model,-18} {started} started for {injected} injected: precision {precision:0.000}, recall {recall:0.000}");
            checks.Add((precision >= 0.9 && recall >= 0.9, $"precision and recall >= 0.9 ({model})", $"{precision:0.000} / {recall:0.000}"));
        }

        output.WriteLine();
        foreach (var (passed, target, detail) in checks)
        {
            output.WriteLine($"{(passed ? "PASS" : "FAIL")}  {target}: {detail}");
        }

        return checks.All(c => c.Passed) ? 0 : 1;
    }

    /// <summary>Samples and windows a second through the whole sensor pipeline with the simulator as fast as it goes.</summary>
    private static (double Samples, double Windows) Throughput(OrtEnvironment environment, string models, string model, double seconds)
    {
        using var stream = SimStream.Start(environment, models, model, "all", new SimSettings());
        Thread.Sleep(TimeSpan.FromSeconds(1));
        var (samples, windows, started) = (stream.Pipeline.Progress, stream.Pipeline.Inferred, Stopwatch.GetTimestamp());
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return ((stream.Pipeline.Progress - samples) / elapsed, (stream.Pipeline.Inferred - windows) / elapsed);
    }

    private static (double Precision, double Recall, int Started, int Injected) Detection(OrtEnvironment environment, string models, string model, long samples)
    {
        var settings = new SimSettings();
        List<long> starts;
        using (var stream = SimStream.Start(environment, models, model, "none", settings))
        {
            while (stream.Pipeline.Progress < samples)
            {
                Thread.Sleep(20);
            }

            starts = [.. stream.Anomalies.Starts.Where(s => s < samples)];
        }

        var signal = new SimSignal(settings, 100, 1);
        var (precision, recall) = SimScoring.Score(signal, starts, Window, samples);
        return (precision, recall, starts.Count, signal.Anomalies(samples).Count(a => a.Start < samples - Window));
    }

    private static (long Samples, long Lost, long Late, double CpuPercent, double BytesPerSample) Drain(ISensorFeed feed, double rate, double seconds)
    {
        var settings = new SensorSettings { BatchSamples = SensorFeeds.BatchFor(rate) };
        var source = new SensorSource("bench", feed, settings, new Quiet(), NullLogger.Instance, TimeProvider.System);
        source.Start();
        using var stop = new CancellationTokenSource();
        var drain = Task.Run(async () =>
        {
            var reader = source.Buffer.Reader;
            while (await source.Buffer.WaitToReadAsync(int.MaxValue, stop.Token))
            {
                while (reader.TryRead(out var row))
                {
                    row.Release();
                }
            }
        });
        Thread.Sleep(TimeSpan.FromSeconds(1));
        var (lost, late) = (source.SamplesLost, (feed as PolledFeed)?.Late ?? 0);
        var (samples, cpuPercent, bytesPerSample) = Measure(() => source.SamplesRead, seconds);
        var result = (samples, source.SamplesLost - lost, ((feed as PolledFeed)?.Late ?? 0) - late, cpuPercent, bytesPerSample);
        stop.Cancel();
        source.DisposeAsync().AsTask().GetAwaiter().GetResult();
        try
        {
            drain.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        return result;
    }

    private static (long Samples, double CpuPercent, double BytesPerSample) BareLoop(IEnumerable<string> files, double rate, double seconds)
    {
        using var poller = new BarePoller(files, rate);
        Thread.Sleep(TimeSpan.FromSeconds(1));
        return Measure(() => poller.Samples, seconds);
    }

    /// <summary>Samples taken, the process's CPU as a percentage of one core, and bytes allocated (all threads) per sample, over <paramref name="seconds"/>.</summary>
    private static (long Samples, double CpuPercent, double BytesPerSample) Measure(Func<long> samples, double seconds)
    {
        using var process = Process.GetCurrentProcess();
        var (read, cpu, allocated, started) = (samples(), process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true), Stopwatch.GetTimestamp());
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        process.Refresh();
        var taken = samples() - read;
        var cpuPercent = (process.TotalProcessorTime - cpu).TotalSeconds / Stopwatch.GetElapsedTime(started).TotalSeconds * 100;
        return (taken, cpuPercent, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)Math.Max(taken, 1));
    }

    private static void WriteReplay(string path, double rate, double seconds)
    {
        var signal = new SimSignal(new SimSettings(), rate, 1);
        var value = new float[1];
        using var writer = new StreamWriter(path);
        writer.WriteLine("time,x");
        for (var i = 0; i < (long)(rate * seconds); i++)
        {
            signal.Sample(i, value);
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i / rate:0.000},{value[0]:0.0000}"));
        }
    }

    /// <summary>Prints a number per line at the rate given, on a drift-free schedule.</summary>
    private const string PacedPrinter = """
        import math, sys, time
        rate = float(sys.argv[1])
        start = time.monotonic()
        i = 0
        while True:
            due = start + i / rate
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
            sys.stdout.write(f"{math.sin(i / 10):.4f}\n")
            if i % 10 == 9:
                sys.stdout.flush()
            i += 1
        """;

    private sealed class Quiet : ISensorObserver
    {
        public void SourceLost(string stream, string reason) => Console.Error.WriteLine($"source lost: {reason}");

        public void SourceRestored(string stream, TimeSpan downtime)
        {
        }

        public void SamplesLost(string stream, long lostSoFar)
        {
        }
    }
}
