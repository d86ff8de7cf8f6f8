using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeAgent.Testing;

namespace EdgeAgent.Benchmarks.Pipeline;

/// <summary>One start of <c>edge-agent run</c>: milliseconds to READY=1 and to the first result, and peak RSS.</summary>
internal sealed record StartupResult(string Model, bool CachedGraph, double ReadyMs, double FirstResultMs, double PeakRssMiB);

/// <summary>
/// Starts the real daemon (<c>dotnet EdgeAgent.dll run</c>) on the demo configuration with a testsrc camera and
/// a local mosquitto, as systemd would: timed from the process start to its READY=1 datagram on a socket bound
/// here, and to the first result a <c>mosquitto_sub</c> attached before the start prints. Peak RSS is the kernel's
/// VmHWM a few seconds into steady state.
/// </summary>
internal static class DaemonStartup
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    public static async Task<StartupResult> MeasureAsync(MosquittoBroker broker, string model, string cacheDirectory, bool cachedGraph)
    {
        using var notify = DatagramListener.InTempDirectory("notify");
        var state = Directory.CreateTempSubdirectory("edge-agent-bench-state-");
        using var subscriber = StartSubscriber(broker.Port);
        var firstResult = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.OutputDataReceived += (_, line) =>
        {
            if (!string.IsNullOrEmpty(line.Data))
            {
                firstResult.TrySetResult(Stopwatch.GetTimestamp());
            }
        };
        subscriber.BeginOutputReadLine();
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        using var agent = new Process { StartInfo = AgentStart(broker.Port, model, notify.Address, state.FullName, cacheDirectory) };
        var start = Stopwatch.GetTimestamp();
        agent.Start();
        try
        {
            agent.BeginOutputReadLine();
            agent.BeginErrorReadLine();
            var ready = await Task.Run(() => WaitForReady(notify));
            var first = await firstResult.Task.WaitAsync(s_limit);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var rss = PeakRssMiB(agent.Id);
            return new StartupResult(model, cachedGraph, Stopwatch.GetElapsedTime(start, ready).TotalMilliseconds, Stopwatch.GetElapsedTime(start, first).TotalMilliseconds, rss);
        }
        finally
        {
            agent.Kill(entireProcessTree: true);
            await agent.WaitForExitAsync();
            subscriber.Kill(entireProcessTree: true);
            await subscriber.WaitForExitAsync();
            state.Delete(recursive: true);
        }
    }

    private static long WaitForReady(DatagramListener notify)
    {
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < s_limit)
        {
            if (notify.TryReceive(TimeSpan.FromMilliseconds(100)) is { } datagram && Encoding.UTF8.GetString(datagram).Split('\n').Contains("READY=1"))
            {
                return Stopwatch.GetTimestamp();
            }
        }

        throw new TimeoutException($"edge-agent sent no READY=1 within {s_limit}");
    }

    private static Process StartSubscriber(int port)
    {
        var start = new ProcessStartInfo("mosquitto_sub") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", "edge/+/results/#", "-C", "1" })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("mosquitto_sub did not start");
    }

    private static ProcessStartInfo AgentStart(int port, string model, string notifySocket, string state, string cache)
    {
        var root = TestPaths.RepositoryRoot;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(TestPaths.AgentAssembly);
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(Path.Combine(root, "demo", "edge-agent.json"));
        start.Environment["NOTIFY_SOCKET"] = notifySocket;
        start.Environment["EDGEAGENT__Device__Id"] = "bench";
        start.Environment["EDGEAGENT__Mqtt__Host"] = "127.0.0.1";
        start.Environment["EDGEAGENT__Mqtt__Port"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["EDGEAGENT__Agent__StateDirectory"] = state;
        start.Environment["EDGEAGENT__Agent__CacheDirectory"] = cache;
        start.Environment["EDGEAGENT__Models__BundledPath"] = Path.Combine(root, "models");
        start.Environment["EDGEAGENT__Streams__0__Model"] = model;
        start.Environment["EDGEAGENT__Streams__0__Source__Url"] = "testsrc";
        return start;
    }

    private static double PeakRssMiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kib = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kib / 1024.0;
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no VmHWM");
    }
}
