using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace EdgeAgent.Outbox;

/// <summary>
/// The publishing loop's view of the segment files: records read in order through a block read ahead, so a run of
/// small records costs one read(2) per block rather than two per record.
/// </summary>
internal sealed class SegmentReader : IDisposable
{
    private const int BlockBytes = 64 * 1024;

    private readonly byte[] _block = ArrayPool<byte>.Shared.Rent(BlockBytes);
    private SafeFileHandle? _handle;
    private Segment? _segment;
    private long _blockStart;
    private int _blockLength;

    /// <summary>
    /// Copies the body of the record at <paramref name="offset"/> of <paramref name="segment"/> into a buffer rented
    /// from <paramref name="buffers"/>. <paramref name="readable"/> is where the segment's whole records end: nothing
    /// past it is read, so a record being appended is never seen half-written.
    /// </summary>
    /// <returns>The body's length.</returns>
    public int Read(Segment segment, long offset, long readable, ArrayPool<byte> buffers, out byte[] body)
    {
        if (_segment != segment)
        {
            Close();
            _handle = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            _segment = segment;
        }

        if (!Holds(offset, OutboxRecord.HeaderBytes))
        {
            Fill(offset, readable);
        }

        var bodyLength = OutboxRecord.BodyLength(_block.AsSpan((int)(offset - _blockStart), OutboxRecord.HeaderBytes));
        if (bodyLength < 0 || offset + OutboxRecord.HeaderBytes + bodyLength > readable)
        {
            throw new InvalidDataException($"{segment.Path}: no whole record at offset {offset}, below the {readable} bytes written");
        }

        body = buffers.Rent(bodyLength);
        var recordBytes = OutboxRecord.HeaderBytes + bodyLength;
        if (!Holds(offset, recordBytes) && recordBytes <= _block.Length)
        {
            Fill(offset, readable);
        }

        if (Holds(offset, recordBytes))
        {
            _block.AsSpan((int)(offset - _blockStart) + OutboxRecord.HeaderBytes, bodyLength).CopyTo(body);
        }
        else
        {
            ReadExactly(body.AsSpan(0, bodyLength), offset + OutboxRecord.HeaderBytes);
        }

        return bodyLength;
    }

    /// <summary>Whether the file of <paramref name="segment"/> is the one held open.</summary>
    public bool Reads(Segment? segment) => segment is not null && _segment == segment;

    /// <summary>Lets go of the file, so that a deleted segment gives its space back at once.</summary>
    public void Close()
    {
        _handle?.Dispose();
        (_handle, _segment, _blockLength) = (null, null, 0);
    }

    public void Dispose()
    {
        Close();
        ArrayPool<byte>.Shared.Return(_block);
    }

    private bool Holds(long offset, int bytes) =>
        offset >= _blockStart && offset + bytes <= _blockStart + _blockLength;

    private void Fill(long offset, long readable)
    {
        var count = (int)Math.Min(_block.Length, readable - offset);
        (_blockStart, _blockLength) = (offset, 0);
        ReadExactly(_block.AsSpan(0, count), offset);
        _blockLength = count;
    }

    private void ReadExactly(Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(_handle!, destination, offset);
            if (read == 0)
            {
                throw new EndOfStreamException($"{_segment!.Path} ends at offset {offset}, before the records written to it");
            }

            destination = destination[read..];
            offset += read;
        }
    }
}
