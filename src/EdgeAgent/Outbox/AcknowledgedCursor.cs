using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;

namespace EdgeAgent.Outbox;

/// <summary>
/// How far the broker has acknowledged: a segment id and the offset after its last acknowledged record, in a small
/// JSON file overwritten in place (one write of a fixed size, nothing allocated) with a check value beside them. A
/// torn write fails the check and reads as no cursor: everything still on disk is sent again, duplicates
/// recognisable by seq, never a loss.
/// </summary>
internal sealed class AcknowledgedCursor(string path) : IDisposable
{
    private const int FileBytes = 96;

    private readonly SafeFileHandle _handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);

    /// <summary>The saved position, or (0, 0) when there is none or it does not check out.</summary>
    public static (long Segment, long Offset) Load(string path)
    {
        if (!File.Exists(path))
        {
            return (0, 0);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var (segment, offset) = (root.GetProperty("segment").GetInt64(), root.GetProperty("offset").GetInt64());
            return root.GetProperty("check").GetUInt32() == Check(segment, offset) ? (segment, offset) : (0, 0);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return (0, 0);
        }
    }

    /// <exception cref="IOException">The file could not be written.</exception>
    public void Save(long segment, long offset)
    {
        Span<byte> text = stackalloc byte[FileBytes];
        text.Fill((byte)' ');
        text[^1] = (byte)'\n';
        var written = Utf8.TryWrite(text, CultureInfo.InvariantCulture, $"{{\"segment\":{segment},\"offset\":{offset},\"check\":{Check(segment, offset)}}}", out _);
        if (!written)
        {
            throw new InvalidOperationException($"a cursor of segment {segment}, offset {offset} does not fit in {FileBytes} bytes");
        }

        RandomAccess.Write(_handle, text, 0);
    }

    public void Dispose() => _handle.Dispose();

    private static uint Check(long segment, long offset) => ~BitOperations.Crc32C(BitOperations.Crc32C(uint.MaxValue, (ulong)segment), (ulong)offset);
}
