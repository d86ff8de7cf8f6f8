using System.Formats.Tar;

namespace EdgeAgent.Protocol;

/// <summary>One file of a bundle.</summary>
public sealed record BundleFile(string Name, byte[] Content);

/// <summary>
/// The update bundle (CONTRACT.md section 7): an uncompressed ustar archive of model.onnx, model.json and the files
/// the descriptor names. Written deterministically; read with every entry checked (regular files only, relative
/// names without '..', no duplicates, a size bound) before anything touches the disk.
/// </summary>
public static class ModelBundle
{
    private static readonly DateTimeOffset s_epoch = DateTimeOffset.UnixEpoch;

    /// <summary>The archive's bytes: entries in the order given, owner 0:0, mode 0644, mtime 0.</summary>
    public static byte[] Write(IReadOnlyList<BundleFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        RequireModelFiles(files.Select(f => f.Name));
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var file in files)
            {
                CheckName(file.Name);
                var entry = new UstarTarEntry(TarEntryType.RegularFile, file.Name)
                {
                    DataStream = new MemoryStream(file.Content, writable: false),
                    ModificationTime = s_epoch,
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    Uid = 0,
                    Gid = 0,
                };
                writer.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }

    /// <summary>Reads and checks every entry.</summary>
    /// <exception cref="InvalidDataException">The archive is malformed or hostile; the message names the entry and why.</exception>
    public static IReadOnlyList<BundleFile> Read(Stream archive, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var files = new List<BundleFile>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        try
        {
            using var reader = new TarReader(archive, leaveOpen: true);
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    throw new InvalidDataException($"bundle entry '{entry.Name}' is a {entry.EntryType}; only regular files are allowed");
                }

                CheckName(entry.Name);
                if (!names.Add(entry.Name))
                {
                    throw new InvalidDataException($"bundle entry '{entry.Name}' appears twice");
                }

                if (entry.Length < 0 || (total += entry.Length) > maxBytes)
                {
                    throw new InvalidDataException($"bundle entry '{entry.Name}' takes the bundle past its limit of {maxBytes} bytes");
                }

                var content = new byte[entry.Length];
                entry.DataStream?.ReadExactly(content);
                files.Add(new BundleFile(entry.Name, content));
            }
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"the bundle is not a valid ustar archive: {ex.Message}", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"the bundle is truncated: {ex.Message}", ex);
        }

        RequireModelFiles(names);
        return files;
    }

    /// <summary>Writes the files under <paramref name="directory"/>, creating subdirectories their names hold.</summary>
    public static void Extract(IReadOnlyList<BundleFile> files, string directory)
    {
        ArgumentNullException.ThrowIfNull(files);
        var root = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        foreach (var file in files)
        {
            CheckName(file.Name);
            var path = Path.GetFullPath(Path.Combine(root, file.Name));
            if (!path.StartsWith(root, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"bundle entry '{file.Name}' would land outside {directory}");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, file.Content);
        }
    }

    /// <summary>A relative name of plain segments: no absolute path, no '..' or '.', no empty segment, no backslash or control character.</summary>
    /// <exception cref="InvalidDataException">The name breaks a rule; the message says which.</exception>
    public static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var problem = name.Length == 0 ? "is empty"
            : name.Length > 100 ? "is longer than 100 characters"
            : name.StartsWith('/') ? "is an absolute path"
            : name.Any(char.IsControl) ? "holds a control character"
            : name.Contains('\\', StringComparison.Ordinal) ? "holds a backslash"
            : name.Split('/').Any(s => s is "" or "." or "..") ? "has an empty, '.' or '..' segment"
            : null;
        if (problem is not null)
        {
            throw new InvalidDataException($"bundle entry '{name.Replace("\n", "\\n", StringComparison.Ordinal)}' {problem}");
        }
    }

    private static void RequireModelFiles(IEnumerable<string> names)
    {
        var present = names.ToHashSet(StringComparer.Ordinal);
        foreach (var required in new[] { "model.onnx", "model.json" })
        {
            if (!present.Contains(required))
            {
                throw new InvalidDataException($"the bundle has no {required}");
            }
        }
    }
}
