using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Onnx;
using EdgeAgent.Onnx.Benchmarking;
using EdgeAgent.Protocol;

namespace EdgeAgent.Commands;

/// <summary><c>edge-agent bench</c>: latency and throughput of one model on synthetic input from its metadata.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The .onnx model to run", Required = true };
        var providers = new Option<string[]>("--provider")
        {
            Description = $"Execution provider to try, repeatable, in order of preference ({string.Join(", ", ExecutionProviders.Known)}); CPU is always the last resort",
            DefaultValueFactory = _ => [ExecutionProviders.Cpu],
        };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads (0: one per core)", DefaultValueFactory = _ => 1 };
        var iterations = new Option<int>("--iterations") { Description = "Timed runs", DefaultValueFactory = _ => 200 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs first", DefaultValueFactory = _ => 20 };
        var shapes = new Option<string[]>("--shape") { Description = "An input's shape, NAME=1x3x224x224, repeatable; free dimensions default to 1" };
        var values = new Option<string[]>("--value") { Description = "An input held at one value instead of random data, NAME=NUMBER, repeatable (e.g. sr=16000)" };
        var library = CommonOptions.Library();
        var json = CommonOptions.Json();
        var command = new Command("bench", "Measure one model's latency, throughput and memory on synthetic input")
        {
            model, providers, threads, iterations, warmup, shapes, values, library, json,
        };
        command.SetAction(parsed => Run(new BenchSettings(
            parsed.GetValue(model)!,
            parsed.GetValue(providers) ?? [ExecutionProviders.Cpu],
            parsed.GetValue(threads),
            parsed.GetValue(iterations),
            parsed.GetValue(warmup),
            ParseShapes(parsed.GetValue(shapes) ?? []),
            ParseValues(parsed.GetValue(values) ?? []),
            parsed.GetValue(library),
            parsed.GetValue(json))));
        return command;
    }

    private static int Run(BenchSettings settings)
    {
        settings.Validate();
        using var loggerFactory = CliLogging.Create();
        using var environment = OrtLoader.Open(settings.Library, OrtLogLevel.Warning, loggerFactory);
        var options = new InferenceSessionOptions { IntraOpThreads = settings.Threads, Providers = settings.Providers };

        var loadWatch = Stopwatch.StartNew();
        InferenceSession session;
        try
        {
            session = environment.CreateSession(settings.Model, options);
        }
        catch (OrtException ex)
        {
            Console.Error.WriteLine($"edge-agent: --model {settings.Model}: {ex.Message}");
            return ExitCodes.Failed;
        }

        using (session)
        {
            var loadMs = loadWatch.Elapsed.TotalMilliseconds;
            SessionBuffers buffers;
            try
            {
                buffers = SessionBuffers.Create(session, settings.Shapes, settings.Values);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException($"--shape/--value: {ex.Message}");
            }
            catch (OrtException ex)
            {
                Console.Error.WriteLine($"edge-agent: {settings.Model}: the trial run failed: {ex.Message}");
                return ExitCodes.Failed;
            }

            using (buffers)
            using (var binding = session.CreateBinding())
            {
                buffers.BindTo(binding);
                for (var i = 0; i < settings.Warmup; i++)
                {
                    binding.Run();
                }

                var samples = new double[settings.Iterations];
                for (var i = 0; i < samples.Length; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    binding.Run();
                    samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }

                var report = new BenchReport(
                    settings.Model,
                    environment.Library.Version,
                    session.Providers.Chosen,
                    session.Providers.Requested,
                    [.. session.Providers.Failures.Select(f => $"{f.Provider}: {f.Reason}")],
                    settings.Threads,
                    settings.Warmup,
                    [.. session.Inputs.Select((input, i) => $"{input.Name}: {input.ElementType.ToName()} [{string.Join(" x ", buffers.Inputs[i].Shape)}]")],
                    Math.Round(loadMs, 2),
                    LatencyStatistics.From(samples),
                    PeakResidentMebibytes());
                Print(report, settings.Json);
            }
        }

        return ExitCodes.Success;
    }

    private static void Print(BenchReport report, bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.BenchReport));
            return;
        }

        var output = Console.Out;
        var latency = report.Latency;
        output.WriteLine($"model        {report.Model}");
        output.WriteLine($"inputs       {string.Join("; ", report.Inputs)}");
        output.WriteLine($"onnxruntime  {report.OnnxRuntime}");
        output.WriteLine($"provider     {report.Provider} (asked for {string.Join(", ", report.Requested)})");
        foreach (var failure in report.ProviderFailures)
        {
            output.WriteLine($"  not used   {failure}");
        }

        output.WriteLine($"threads      {report.Threads} intra-op");
        output.WriteLine($"load         {report.LoadMs:F1} ms");
        output.WriteLine($"runs         {latency.Count} timed after {report.Warmup} warm-up");
        output.WriteLine($"latency ms   min {latency.MinMs:F3}  p50 {latency.P50Ms:F3}  p90 {latency.P90Ms:F3}  p99 {latency.P99Ms:F3}  max {latency.MaxMs:F3}");
        output.WriteLine($"throughput   {latency.RunsPerSecond:F1} runs/s");
        output.WriteLine($"peak RSS     {report.PeakRssMib:F1} MiB");
    }

    private static Dictionary<string, long[]> ParseShapes(string[] values)
    {
        var shapes = new Dictionary<string, long[]>();
        foreach (var value in values)
        {
            var equals = value.LastIndexOf('=');
            var dims = equals > 0 ? value[(equals + 1)..].Split('x') : [];
            if (equals <= 0 || dims.Length == 0 || !dims.All(d => long.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0))
            {
                throw new UsageException($"--shape {value}: expected NAME=DIMxDIMx... with positive dimensions, e.g. input=1x3x224x224");
            }

            shapes[value[..equals]] = [.. dims.Select(d => long.Parse(d, CultureInfo.InvariantCulture))];
        }

        return shapes;
    }

    private static Dictionary<string, double> ParseValues(string[] values)
    {
        var parsed = new Dictionary<string, double>();
        foreach (var value in values)
        {
            var equals = value.LastIndexOf('=');
            if (equals <= 0 || !double.TryParse(value.AsSpan(equals + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                throw new UsageException($"--value {value}: expected NAME=NUMBER, e.g. sr=16000");
            }

            parsed[value[..equals]] = number;
        }

        return parsed;
    }

    /// <summary>The process's peak resident set (VmHWM) in MiB.</summary>
    internal static double PeakResidentMebibytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kib = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                return Math.Round(kib / 1024.0, 1);
            }
        }

        return 0;
    }

    private sealed record BenchSettings(string Model, string[] Providers, int Threads, int Iterations, int Warmup, Dictionary<string, long[]> Shapes, Dictionary<string, double> Values, string? Library, bool Json)
    {
        public void Validate()
        {
            if (!File.Exists(Model))
            {
                throw new UsageException($"--model {Model}: no such file");
            }

            foreach (var provider in Providers)
            {
                if (!ExecutionProviders.Known.Contains(provider, StringComparer.OrdinalIgnoreCase))
                {
                    throw new UsageException($"--provider {provider}: unknown; known providers: {string.Join(", ", ExecutionProviders.Known)}");
                }
            }

            if (Threads < 0)
            {
                throw new UsageException($"--threads {Threads}: must be 0 (one per core) or more");
            }

            if (Iterations < 1)
            {
                throw new UsageException($"--iterations {Iterations}: must be 1 or more");
            }

            if (Warmup < 0)
            {
                throw new UsageException($"--warmup {Warmup}: must be 0 or more");
            }
        }
    }
}

internal sealed record BenchReport(
    string Model,
    string OnnxRuntime,
    string Provider,
    IReadOnlyList<string> Requested,
    IReadOnlyList<string> ProviderFailures,
    int Threads,
    int Warmup,
    IReadOnlyList<string> Inputs,
    double LoadMs,
    LatencyStatistics Latency,
    double PeakRssMib);
