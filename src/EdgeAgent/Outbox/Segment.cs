using System.Globalization;

namespace EdgeAgent.Outbox;

/// <summary>One segment file: records appended until it reaches the segment size, deleted once all are acknowledged.</summary>
internal sealed class Segment(long id, string path)
{
    public long Id { get; } = id;

    public string Path { get; } = path;

    /// <summary>Bytes of whole records written (and readable).</summary>
    public long Length { get; set; }

    public int Records { get; set; }

    public int Acknowledged { get; set; }

    /// <summary>No more records will be appended.</summary>
    public bool Sealed { get; set; }

    public int Pending => Records - Acknowledged;

    public static string FileName(long id) => id.ToString("D12", CultureInfo.InvariantCulture) + ".seg";

    public static bool TryParseId(string path, out long id) =>
        long.TryParse(System.IO.Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out id);
}
