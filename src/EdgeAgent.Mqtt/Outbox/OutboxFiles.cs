using System.Globalization;
using System.Runtime.InteropServices;

namespace EdgeAgent.Mqtt.Outbox;

/// <summary>Names of segment files, and fsync of a directory (so a rename or a new file survives a power loss).</summary>
internal static partial class OutboxFiles
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000;

    public static string SegmentPath(string directory, long id) =>
        Path.Combine(directory, id.ToString("D20", CultureInfo.InvariantCulture) + ".seg");

    public static List<long> SegmentIds(string directory) =>
        [.. System.IO.Directory.EnumerateFiles(directory, "*.seg")
            .Select(path => long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1)
            .Where(id => id >= 0)
            .Order()];

    public static void FsyncDirectory(string directory)
    {
        var fd = Open(directory, ReadOnly | Directory);
        if (fd < 0)
        {
            return;
        }

        _ = Fsync(fd);
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
