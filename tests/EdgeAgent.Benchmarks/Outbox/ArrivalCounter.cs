using System.Diagnostics;

namespace EdgeAgent.Benchmarks.Outbox;

/// <summary>
/// The one subscriber both sides publish to: <c>mosquitto_sub -q 1</c> printing one short line per message. A thread
/// counts the lines without allocating (it runs inside the allocation window) and stamps the first and the last
/// arrival of the block that <see cref="Arm"/> set up, so both sides are timed by the same clock at the same place.
/// </summary>
internal sealed class ArrivalCounter : IDisposable
{
    private readonly Process _process;
    private readonly Thread _reader;
    private long _lines;
    private long _blockFirst;
    private long _blockLast;
    private long _firstTicks;
    private long _lastTicks;
    private long _readerCpuTicks;

    private ArrivalCounter(Process process)
    {
        _process = process;
        _reader = new Thread(Read) { IsBackground = true, Name = "mosquitto_sub reader" };
        _reader.Start();
    }

    /// <summary>Messages received since the start.</summary>
    public long Lines => Volatile.Read(ref _lines);

    /// <summary>
    /// CPU time of the thread counting the lines, so far: it runs in this process through both sides' blocks, and
    /// is taken out of ours, which would otherwise pay for the harness while mosquitto_pub does not.
    /// </summary>
    public TimeSpan ReaderCpu => TimeSpan.FromTicks(Volatile.Read(ref _readerCpuTicks));

    public static ArrivalCounter Start(int port, string filter)
    {
        var start = new ProcessStartInfo("mosquitto_sub")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "1", "-t", filter, "-F", "%l" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto_sub did not start: ./build.sh installs mosquitto-clients");
        return new ArrivalCounter(process);
    }

    /// <summary>The next <paramref name="count"/> messages form a block; call only while nothing is arriving.</summary>
    public void Arm(int count)
    {
        var lines = Lines;
        Volatile.Write(ref _firstTicks, 0);
        Volatile.Write(ref _lastTicks, 0);
        Volatile.Write(ref _blockFirst, lines + 1);
        Volatile.Write(ref _blockLast, lines + count);
    }

    /// <summary>Waits (without allocating) for the armed block's last message; its first and last arrival in Stopwatch ticks.</summary>
    public (long First, long Last) WaitForBlock(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref _lastTicks) == 0)
        {
            if (Stopwatch.GetTimestamp() > deadline || _process.HasExited)
            {
                throw new TimeoutException($"mosquitto_sub saw {Lines - Volatile.Read(ref _blockFirst) + 1} of {Volatile.Read(ref _blockLast) - Volatile.Read(ref _blockFirst) + 1} messages within {timeout}{(_process.HasExited ? $" and exited with {_process.ExitCode}" : string.Empty)}");
            }

            Thread.Sleep(1);
        }

        return (Volatile.Read(ref _firstTicks), Volatile.Read(ref _lastTicks));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
        _reader.Join();
        _process.Dispose();
    }

    private void Read()
    {
        var buffer = new byte[64 * 1024];
        var output = _process.StandardOutput.BaseStream;
        int read;
        while ((read = output.Read(buffer)) > 0)
        {
            var now = Stopwatch.GetTimestamp();
            var newlines = buffer.AsSpan(0, read).Count((byte)'\n');
            var before = _lines;
            var after = before + newlines;
            Volatile.Write(ref _readerCpuTicks, CpuTime.CurrentThread.Ticks);
            Volatile.Write(ref _lines, after);
            var first = Volatile.Read(ref _blockFirst);
            var last = Volatile.Read(ref _blockLast);
            if (before < first && after >= first)
            {
                Volatile.Write(ref _firstTicks, now);
            }

            if (before < last && after >= last)
            {
                Volatile.Write(ref _lastTicks, now);
            }
        }
    }
}
