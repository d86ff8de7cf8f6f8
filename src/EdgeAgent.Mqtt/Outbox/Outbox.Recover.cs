using System.Buffers.Binary;
using System.Text;

namespace EdgeAgent.Mqtt.Outbox;

/// <summary>Opening: the acknowledgement position, every segment checked record by record, torn tails cut off.</summary>
public sealed partial class Outbox
{
    private void Recover()
    {
        long ackedSegment = 0, ackedOffset = 0;
        Span<byte> position = stackalloc byte[16];
        if (RandomAccess.Read(_ackFile, position, 0) == 16)
        {
            ackedSegment = BinaryPrimitives.ReadInt64LittleEndian(position);
            ackedOffset = BinaryPrimitives.ReadInt64LittleEndian(position[8..]);
        }

        foreach (var id in OutboxFiles.SegmentIds(_options.Directory))
        {
            var segment = OutboxSegment.Open(_options.Directory, id);
            if (id < ackedSegment)
            {
                segment.Delete();
                continue;
            }

            CheckRecords(segment, id == ackedSegment ? ackedOffset : 0);
            _segments.Add(segment);
        }

        if (_segments.Count == 0)
        {
            _segments.Add(OutboxSegment.Open(_options.Directory, Math.Max(ackedSegment, 0) + 1));
            OutboxFiles.FsyncDirectory(_options.Directory);
        }

        _ackOffset = _segments[0].Id == ackedSegment ? Math.Min(ackedOffset, _segments[0].Length) : 0;
        _sendSegment = _segments[0].Id;
        _sendOffset = _ackOffset;
    }

    /// <summary>Reads every record: raises each stream's seq past those found, counts the unacknowledged, cuts a bad tail.</summary>
    private void CheckRecords(OutboxSegment segment, long acknowledgedUpTo)
    {
        var header = new byte[OutboxRecord.HeaderBytes];
        var body = new byte[4096];
        long offset = 0;
        while (offset < segment.Length)
        {
            var bodyLength = segment.Length - offset >= OutboxRecord.HeaderBytes
                && RandomAccess.Read(segment.Handle, header, offset) == OutboxRecord.HeaderBytes
                ? OutboxRecord.ReadBodyLength(header)
                : -1;
            if (bodyLength < 0 || offset + OutboxRecord.HeaderBytes + bodyLength > segment.Length)
            {
                break;
            }

            if (body.Length < bodyLength)
            {
                body = new byte[bodyLength];
            }

            var span = body.AsSpan(0, bodyLength);
            if (RandomAccess.Read(segment.Handle, span, offset + OutboxRecord.HeaderBytes) != bodyLength || !OutboxRecord.IsIntact(header, span))
            {
                break;
            }

            var view = OutboxRecord.Parse(span);
            _sequences.AtLeast(Encoding.UTF8.GetString(span.Slice(view.StreamOffset, view.StreamLength)), view.Seq);
            offset += OutboxRecord.HeaderBytes + bodyLength;
            if (offset > acknowledgedUpTo)
            {
                _records++;
            }
        }

        if (offset < segment.Length)
        {
            var skipped = segment.Length - offset;
            _corrupt++;
            RandomAccess.SetLength(segment.Handle, offset);
            segment.Length = offset;
            _notify(new OutboxNotice(OutboxNoticeKind.Corrupt, 1, $"{skipped} bytes at offset {offset} of {segment.Path} failed their length or CRC check (a torn write?) and were skipped"));
        }
    }

    /// <summary>Records in <paramref name="segment"/> after <paramref name="from"/>, by walking the headers.</summary>
    private static long CountRecords(OutboxSegment segment, long from)
    {
        Span<byte> header = stackalloc byte[OutboxRecord.HeaderBytes];
        long count = 0;
        for (var offset = from; offset + OutboxRecord.HeaderBytes <= segment.Length; count++)
        {
            RandomAccess.Read(segment.Handle, header, offset);
            offset += OutboxRecord.HeaderBytes + OutboxRecord.ReadBodyLength(header);
        }

        return count;
    }
}
