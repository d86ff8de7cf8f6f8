using System.Runtime.InteropServices;

namespace EdgeAgent.Interop;

/// <summary>The few libc calls .NET has no API for.</summary>
internal static partial class Libc
{
    private const int OpenReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux (x64 and arm64)

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

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
}
