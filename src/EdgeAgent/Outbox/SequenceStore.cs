using System.Text.Json;

namespace EdgeAgent.Outbox;

/// <summary>
/// The next seq per key in a small JSON file, replaced atomically (write, fsync, rename, fsync the directory) so a
/// crash leaves either the old or the new file, never half of one.
/// </summary>
internal static class SequenceStore
{
    public static Dictionary<string, long> Load(string path)
    {
        if (!File.Exists(path))
        {
            return new(StringComparer.Ordinal);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a seq file ({ex.Message}); remove it only if losing seq continuity is acceptable", ex);
        }
    }

    public static void Save(string path, IReadOnlyDictionary<string, long> next)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in next.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteNumber(key, value);
            }

            writer.WriteEndObject();
        }

        Storage.AtomicFile.Write(path, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}
