using System.Text.Json;

namespace EdgeAgent.Mqtt.Outbox;

/// <summary>
/// The next <c>seq</c> per stream, in <c>seq.json</c>. Each stream reserves a block ahead and the file records the
/// reservation before a number of it is handed out; after a crash numbering resumes past the reservation (a gap),
/// after a clean close at the exact next number. Replaced atomically: write, fsync, rename, fsync the directory.
/// </summary>
internal sealed class OutboxSequences
{
    private readonly string _path;
    private readonly string _directory;
    private readonly int _reservation;
    private readonly Dictionary<string, (long Next, long Reserved)> _streams = new(StringComparer.Ordinal);

    public OutboxSequences(string directory, int reservation)
    {
        _directory = directory;
        _path = Path.Combine(directory, "seq.json");
        _reservation = reservation;
        if (!File.Exists(_path))
        {
            return;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(_path));
        var clean = document.RootElement.GetProperty("clean").GetBoolean();
        foreach (var stream in document.RootElement.GetProperty("streams").EnumerateObject())
        {
            var next = stream.Value.GetProperty("next").GetInt64();
            var reserved = stream.Value.GetProperty("reserved").GetInt64();
            var resume = clean ? next : reserved;
            _streams[stream.Name] = (resume, resume);
        }
    }

    /// <summary>Makes sure no stream resumes at or below a seq already found on disk.</summary>
    public void AtLeast(string stream, long seenSeq)
    {
        var current = _streams.GetValueOrDefault(stream, (1, 1));
        if (seenSeq >= current.Next)
        {
            _streams[stream] = (seenSeq + 1, seenSeq + 1);
        }
    }

    /// <summary>The next seq of <paramref name="stream"/> (1 for a new stream), reserving a new block on disk when needed.</summary>
    public long Take(string stream)
    {
        var (next, reserved) = _streams.GetValueOrDefault(stream, (1, 1));
        if (next >= reserved)
        {
            reserved = next + _reservation;
            _streams[stream] = (next, reserved);
            Save(clean: false);
        }

        _streams[stream] = (next + 1, reserved);
        return next;
    }

    /// <summary>Writes the file; with <paramref name="clean"/> the next start resumes at the exact numbers.</summary>
    public void Save(bool clean)
    {
        var temporary = _path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new Utf8JsonWriter(file))
            {
                writer.WriteStartObject();
                writer.WriteBoolean("clean", clean);
                writer.WriteStartObject("streams");
                foreach (var (stream, (next, reserved)) in _streams)
                {
                    writer.WriteStartObject(stream);
                    writer.WriteNumber("next", next);
                    writer.WriteNumber("reserved", clean ? next : reserved);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
        OutboxFiles.FsyncDirectory(_directory);
    }
}
