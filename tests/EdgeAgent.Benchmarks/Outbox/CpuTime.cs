using System.Runtime.InteropServices;

namespace EdgeAgent.Benchmarks.Outbox;

/// <summary>User plus system CPU time from getrusage(2), without allocating: this process's, the calling thread's, or that of its waited-for children.</summary>
internal static partial class CpuTime
{
    private const int RusageSelf = 0;
    private const int RusageChildren = -1;
    private const int RusageThread = 1;

    public static TimeSpan Self => Read(RusageSelf);

    public static TimeSpan CurrentThread => Read(RusageThread);

    /// <summary>Children that have exited and been reaped (mosquitto_pub, once its block is over).</summary>
    public static TimeSpan Children => Read(RusageChildren);

    private static unsafe TimeSpan Read(int who)
    {
        // struct rusage on 64-bit Linux: ru_utime and ru_stime (each tv_sec, tv_usec), then 14 longs.
        var usage = stackalloc long[18];
        if (GetRusage(who, usage) != 0)
        {
            throw new InvalidOperationException($"getrusage failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        return TimeSpan.FromMicroseconds(((usage[0] + usage[2]) * 1_000_000) + usage[1] + usage[3]);
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static unsafe partial int GetRusage(int who, long* usage);
}
