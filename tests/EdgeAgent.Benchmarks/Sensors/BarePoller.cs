using System.Diagnostics;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace EdgeAgent.Benchmarks.Sensors;

/// <summary>
/// The peer of a polled sysfs source: one thread that reads the same files at the same rate with nothing around it
/// (open handles, pread at offset 0, parse, sleep to the next slot), to set the source's CPU beside the least it
/// could cost.
/// </summary>
internal sealed class BarePoller : IDisposable
{
    private readonly SafeFileHandle[] _files;
    private readonly Thread _thread;
    private readonly double _rateHz;
    private volatile bool _stopping;
    private long _samples;

    public BarePoller(IEnumerable<string> paths, double rateHz)
    {
        _files = [.. paths.Select(p => File.OpenHandle(p))];
        _rateHz = rateHz;
        _thread = new Thread(Run) { IsBackground = true, Name = "bare poller" };
        _thread.Start();
    }

    public long Samples => Interlocked.Read(ref _samples);

    /// <summary>The sum of the last sample's values, so the reads cannot be optimised away.</summary>
    public double Last { get; private set; }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }

    private void Run()
    {
        Span<byte> buffer = stackalloc byte[64];
        var start = Stopwatch.GetTimestamp();
        for (var n = 0L; !_stopping; n++)
        {
            var sum = 0.0;
            foreach (var file in _files)
            {
                var read = RandomAccess.Read(file, buffer, 0);
                sum += double.Parse(buffer[..read].Trim("\n"u8), NumberStyles.Float, CultureInfo.InvariantCulture);
            }

            Last = sum;
            Interlocked.Increment(ref _samples);
            var wait = TimeSpan.FromSeconds((n + 1) / _rateHz) - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }
        }
    }
}
