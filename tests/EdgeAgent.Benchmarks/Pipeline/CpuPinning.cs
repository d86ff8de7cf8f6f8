using System.Globalization;
using System.Runtime.InteropServices;

namespace EdgeAgent.Benchmarks.Pipeline;

/// <summary>
/// Binds one thread to one CPU with sched_setaffinity(2). On a shared virtual machine one CPU can run a third slower
/// than the other for seconds at a time (measured here: the same loop pinned to each, 20,500 against 12,900 rounds per
/// half second), so the two sides of a pair are only compared when their inference ran on the same CPU.
/// </summary>
internal static partial class CpuPinning
{
    // cpu_set_t as glibc declares it: 1,024 bits.
    private const int MaskWords = 16;

    /// <summary>The CPUs this process may run on, in order.</summary>
    public static unsafe IReadOnlyList<int> Allowed()
    {
        var mask = stackalloc ulong[MaskWords];
        if (GetAffinity(0, MaskWords * sizeof(ulong), mask) != 0)
        {
            throw new InvalidOperationException($"sched_getaffinity failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        var cpus = new List<int>();
        for (var cpu = 0; cpu < MaskWords * 64; cpu++)
        {
            if ((mask[cpu / 64] & (1UL << (cpu % 64))) != 0)
            {
                cpus.Add(cpu);
            }
        }

        return cpus;
    }

    public static void PinCurrentThread(int cpu) => Pin(0, cpu, "the calling thread");

    /// <summary>Pins every thread of this process whose name (as /proc shows it) is <paramref name="name"/>; throws if none is.</summary>
    public static void PinThreadsNamed(string name, int cpu)
    {
        var pinned = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string comm;
            try
            {
                comm = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
            }
            catch (IOException)
            {
                continue; // the thread ended while we looked
            }

            if (comm == name)
            {
                Pin(int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture), cpu, $"thread {name}");
                pinned++;
            }
        }

        if (pinned == 0)
        {
            throw new InvalidOperationException($"no thread named {name} to pin");
        }
    }

    private static unsafe void Pin(int threadId, int cpu, string what)
    {
        var mask = stackalloc ulong[MaskWords];
        new Span<ulong>(mask, MaskWords).Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        if (SetAffinity(threadId, MaskWords * sizeof(ulong), mask) != 0)
        {
            throw new InvalidOperationException($"sched_setaffinity of {what} to CPU {cpu} failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static unsafe partial int SetAffinity(int threadId, nuint size, ulong* mask);

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static unsafe partial int GetAffinity(int threadId, nuint size, ulong* mask);
}
