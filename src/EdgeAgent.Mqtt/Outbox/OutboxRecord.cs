using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace EdgeAgent.Mqtt.Outbox;

/// <summary>
/// One record on disk: [body length u32][CRC-32C of body u32][body], little-endian. The body is
/// [seq i64][qos u8][retain u8][stream length u16][topic length u16][stream][topic][payload].
/// </summary>
internal static class OutboxRecord
{
    public const int HeaderBytes = 8;
    public const int FixedBodyBytes = 14;

    /// <summary>Bounds a length read from a torn or corrupt header before anything trusts it.</summary>
    public const int MaxBodyBytes = MqttClientOptions.MaxPayloadBytes;

    public static int BodyLength(int streamBytes, int topicBytes, int payloadBytes) => FixedBodyBytes + streamBytes + topicBytes + payloadBytes;

    public static void WriteBodyPrefix(Span<byte> body, long seq, MqttQos qos, bool retain, int streamBytes, int topicBytes)
    {
        BinaryPrimitives.WriteInt64LittleEndian(body, seq);
        body[8] = (byte)qos;
        body[9] = retain ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16LittleEndian(body[10..], (ushort)streamBytes);
        BinaryPrimitives.WriteUInt16LittleEndian(body[12..], (ushort)topicBytes);
    }

    public static void WriteHeader(Span<byte> header, ReadOnlySpan<byte> body)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32C(body));
    }

    /// <summary>The body length a header announces, or -1 when it cannot be a record's.</summary>
    public static int ReadBodyLength(ReadOnlySpan<byte> header)
    {
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        return length is >= FixedBodyBytes and <= MaxBodyBytes ? (int)length : -1;
    }

    public static bool IsIntact(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body) =>
        BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) == Crc32C(body);

    public static OutboxRecordView Parse(ReadOnlySpan<byte> body)
    {
        var streamBytes = BinaryPrimitives.ReadUInt16LittleEndian(body[10..]);
        var topicBytes = BinaryPrimitives.ReadUInt16LittleEndian(body[12..]);
        return new OutboxRecordView(
            BinaryPrimitives.ReadInt64LittleEndian(body),
            (MqttQos)body[8],
            body[9] != 0,
            FixedBodyBytes,
            streamBytes,
            FixedBodyBytes + streamBytes,
            topicBytes,
            FixedBodyBytes + streamBytes + topicBytes);
    }

    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var word in words)
        {
            crc = BitOperations.Crc32C(crc, BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word));
        }

        foreach (var b in data[(words.Length * sizeof(ulong))..])
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}

/// <summary>Where a parsed body's fields lie.</summary>
internal readonly record struct OutboxRecordView(long Seq, MqttQos Qos, bool Retain, int StreamOffset, int StreamLength, int TopicOffset, int TopicLength, int PayloadOffset);
