using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgeAgent.Testing;

/// <summary>
/// A real mosquitto on a free loopback port, with its configuration, persistence and log under a temp directory.
/// Stopped by its process id; a broker that dies or never listens fails the test with its own log.
/// </summary>
public sealed partial class MosquittoBroker : IDisposable
{
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(10);

    private readonly StringBuilder _log = new();
    private Process? _process;

    private MosquittoBroker(string directory, int port, string configuration)
    {
        Directory = directory;
        Port = port;
        ConfigPath = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllText(ConfigPath, configuration);
    }

    public string Directory { get; }

    public int Port { get; }

    public string ConfigPath { get; }

    /// <summary>Everything the broker has printed, across restarts.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public int ProcessId => _process?.Id ?? 0;

    /// <summary>
    /// Starts a broker. <paramref name="global"/> lines go before the listener, <paramref name="listener"/> lines after it;
    /// <paramref name="prepare"/> may write files (certificates, password file) into the directory first; "{dir}" in
    /// the lines names that directory.
    /// </summary>
    public static async Task<MosquittoBroker> StartAsync(string global = "", string listener = "", Func<string, Task>? prepare = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("mosquitto-").FullName;
        if (prepare is not null)
        {
            await prepare(directory);
        }

        global = global.Replace("{dir}", directory, StringComparison.Ordinal);
        listener = listener.Replace("{dir}", directory, StringComparison.Ordinal);
        var port = LoopbackPorts.Free();
        var configuration = string.Join('\n',
        [
            // Started as root, mosquitto would drop to its own user, which cannot read this directory.
            $"user {Environment.UserName}",
            global.Contains("allow_anonymous", StringComparison.Ordinal) ? string.Empty : "allow_anonymous true",
            "persistence true",
            $"persistence_location {directory}/",
            "max_queued_messages 0",
            "log_dest stderr",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            global,
            $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
            listener,
            string.Empty,
        ]);
        var broker = new MosquittoBroker(directory, port, configuration);
        try
        {
            await broker.StartProcessAsync();
        }
        catch
        {
            broker.Dispose();
            throw;
        }

        return broker;
    }

    /// <summary>Stops the broker with SIGTERM (it saves its persistence file; a paused one is let go first) and waits for its process to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        _ = Kill(process.Id, SigTerm);
        _ = Kill(process.Id, SigCont);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Freezes the broker with SIGSTOP: connections stay open, nothing is read or acknowledged until <see cref="Resume"/>.</summary>
    public void Pause() => Signal(SigStop);

    /// <summary>Lets a paused broker go on with SIGCONT.</summary>
    public void Resume() => Signal(SigCont);

    /// <summary>Starts it again on the same port, with the same configuration and persistence.</summary>
    public Task RestartAsync() => StartProcessAsync();

    public void Dispose()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                _ = Kill(process.Id, SigTerm);
                _ = Kill(process.Id, SigCont);
                if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    process.Kill();
                    process.WaitForExit();
                }
            }

            process.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartProcessAsync()
    {
        _process?.Dispose();
        var start = new ProcessStartInfo("mosquitto")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(ConfigPath);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("mosquitto is not installed: ./build.sh installs Debian's mosquitto package", ex);
        }

        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + s_startTimeout;
        while (true)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                throw new InvalidOperationException($"mosquitto exited with {process.ExitCode} before accepting connections on port {Port}; its log:\n{Log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            catch (SocketException ex)
            {
                throw new InvalidOperationException($"mosquitto (pid {process.Id}) did not accept connections on port {Port} within {s_startTimeout}; its log:\n{Log}", ex);
            }
        }
    }

    private void Signal(int signal)
    {
        if (_process is not { HasExited: false } process)
        {
            throw new InvalidOperationException($"mosquitto on port {Port} is not running; its log:\n{Log}");
        }

        if (Kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"signal {signal} to mosquitto (pid {process.Id}) failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
