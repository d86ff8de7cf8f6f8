using System.Runtime.InteropServices;

namespace EdgeAgent.Interop;

/// <summary>The few libc calls .NET has no API for.</summary>
internal static partial class Libc
{
    private const int OpenReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux (x64 and arm64)
    private const int ClockMonotonic = 1;
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ on Linux
    private const int GetPipeSize = 1032; // F_GETPIPE_SZ

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(SafeHandle fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in Timespec request, out Timespec remaining);

    /// <summary>
    /// Sleeps for <paramref name="duration"/> to the microsecond (Thread.Sleep rounds to milliseconds, a whole sample
    /// period at 1 kHz). A signal may end it early: callers check the time again.
    /// </summary>
    public static void Sleep(TimeSpan duration)
    {
        var ticks = duration.Ticks;
        if (ticks <= 0)
        {
            return;
        }

        var request = new Timespec((nint)(ticks / TimeSpan.TicksPerSecond), (nint)(ticks % TimeSpan.TicksPerSecond * TimeSpan.NanosecondsPerTick));
        _ = ClockNanosleep(ClockMonotonic, 0, request, out _);
    }

    /// <summary>
    /// Asks the kernel to let <paramref name="pipe"/> hold at least <paramref name="bytes"/> and returns what it holds now:
    /// the kernel rounds up to a power of two pages, and refuses more than /proc/sys/fs/pipe-max-size without
    /// CAP_SYS_RESOURCE, leaving the size as it was.
    /// </summary>
    public static int ResizePipe(SafeHandle pipe, int bytes)
    {
        var size = Fcntl(pipe, SetPipeSize, bytes);
        return size >= 0 ? size : Fcntl(pipe, GetPipeSize, 0);
    }

    /// <summary>Flushes a directory's entries (a rename or a new file) to disk.</summary>
    /// <exception cref="IOException">open or fsync failed; the message carries errno's text.</exception>
    public static void FsyncDirectory(string directory)
    {
        var fd = Open(directory, OpenReadOnlyDirectory);
        if (fd < 0)
        {
            throw new IOException($"open {directory}: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync {directory}: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>struct timespec: time_t and long, both the word size on Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Timespec(nint Seconds, nint Nanoseconds);
}
