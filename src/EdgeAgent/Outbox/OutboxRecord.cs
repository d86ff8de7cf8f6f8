using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace EdgeAgent.Outbox;

/// <summary>
/// One record on disk: a 4-byte body length, a CRC-32C of the body, then the body: QoS, key (the stream, or
/// "events"), seq, topic and payload. A torn or corrupt record fails its length or CRC check.
/// </summary>
internal static class OutboxRecord
{
    public const int HeaderBytes = 8;
    public const int MaxBodyBytes = 64 * 1024 * 1024;

    public static int BodyBytes(string key, string topic, int payloadBytes) =>
        1 + 2 + Encoding.UTF8.GetByteCount(key) + 8 + 2 + Encoding.UTF8.GetByteCount(topic) + payloadBytes;

    /// <summary>Writes header and body into <paramref name="destination"/> (of <see cref="HeaderBytes"/> + body bytes).</summary>
    public static void Encode(Span<byte> destination, string key, long seq, string topic, int qos, ReadOnlySpan<byte> payload)
    {
        var body = destination[HeaderBytes..];
        body[0] = (byte)qos;
        var keyBytes = Encoding.UTF8.GetBytes(key, body[3..]);
        BinaryPrimitives.WriteUInt16LittleEndian(body[1..], (ushort)keyBytes);
        var at = 3 + keyBytes;
        BinaryPrimitives.WriteInt64LittleEndian(body[at..], seq);
        at += 8;
        var topicBytes = Encoding.UTF8.GetBytes(topic, body[(at + 2)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(body[at..], (ushort)topicBytes);
        at += 2 + topicBytes;
        payload.CopyTo(body[at..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Crc32C(body));
    }

    /// <summary>The body's length from a header, or -1 if the length cannot be a record's.</summary>
    public static int BodyLength(ReadOnlySpan<byte> header)
    {
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        return length is > 13 and <= MaxBodyBytes ? (int)length : -1;
    }

    public static bool Verify(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body) =>
        BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) == Crc32C(body);

    public static int Qos(ReadOnlySpan<byte> body) => body[0];

    public static ReadOnlySpan<byte> Key(ReadOnlySpan<byte> body) => body.Slice(3, BinaryPrimitives.ReadUInt16LittleEndian(body[1..]));

    public static long Seq(ReadOnlySpan<byte> body) => BinaryPrimitives.ReadInt64LittleEndian(body[(3 + Key(body).Length)..]);

    public static ReadOnlySpan<byte> Topic(ReadOnlySpan<byte> body)
    {
        var at = 3 + Key(body).Length + 8;
        return body.Slice(at + 2, BinaryPrimitives.ReadUInt16LittleEndian(body[at..]));
    }

    public static int PayloadOffset(ReadOnlySpan<byte> body) => 3 + Key(body).Length + 8 + 2 + Topic(body).Length;

    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
