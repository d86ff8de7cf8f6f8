namespace EdgeAgent.Storage;

/// <summary>
/// Replaces a file so that a crash or power loss leaves either the old or the new content, never a mix: the new
/// bytes go to a temporary file beside it, are flushed to disk, renamed over the old name, and the directory is
/// flushed so the rename itself survives.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, full, overwrite: true);
        Interop.Libc.FsyncDirectory(Path.GetDirectoryName(full)!);
    }
}
