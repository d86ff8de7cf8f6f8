using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text.Unicode;

namespace EdgeAgent.Systemd;

/// <summary>
/// Encodes one journal entry into a pooled buffer of fixed capacity: NAME=value and a newline per field, or, when the
/// value holds a newline, the binary-safe form (name, newline, 8-byte little-endian length, value, newline).
/// Values longer than their cap, or than the room left, are cut at a UTF-8 character boundary.
/// </summary>
internal sealed class JournalEntryWriter : IDisposable
{
    // The binary form needs 9 bytes between name and value ('\n' and the length) where the plain one needs 1 ('='),
    // so every value is encoded 9 bytes in and moved back by 8 if it turns out to need no length.
    private const int Gap = 9;
    private const int MaxDistinctProperties = 32;

    private readonly int _capacity;
    private readonly string[] _properties = new string[MaxDistinctProperties];
    private byte[] _buffer;
    private int _length;
    private int _propertyCount;

    public JournalEntryWriter(int capacity)
    {
        _capacity = capacity;
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    }

    /// <summary>The entry encoded so far.</summary>
    public ReadOnlySpan<byte> Entry => _buffer.AsSpan(0, _length);

    public void Reset()
    {
        _length = 0;
        _propertyCount = 0;
    }

    public void Add(JournalFieldName name, ReadOnlySpan<byte> value)
    {
        if (TryBegin(name, value.Length, out var space))
        {
            value[..Math.Min(value.Length, space.Length)].CopyTo(space);
            End(name, Math.Min(value.Length, space.Length));
        }
    }

    public void Add(JournalFieldName name, ReadOnlySpan<char> value, int maxValueBytes)
    {
        if (TryBegin(name, maxValueBytes, out var space))
        {
            End(name, Encode(value, space));
        }
    }

    public void Add(JournalFieldName name, int value)
    {
        if (TryBegin(name, 11, out var space) && value.TryFormat(space, out var written, default, CultureInfo.InvariantCulture))
        {
            End(name, written);
        }
    }

    /// <summary>
    /// Adds a structured logging property unless a property of that name is already in the entry, so that the log
    /// call's own value wins over a scope's and an outer scope's over an inner one's.
    /// </summary>
    public void AddProperty(JournalFieldName name, object? value, int maxValueBytes)
    {
        if (value is null || _propertyCount == MaxDistinctProperties || _properties.AsSpan(0, _propertyCount).Contains(name.Name))
        {
            return;
        }

        if (!TryBegin(name, maxValueBytes, out var space))
        {
            return;
        }

        var written = value switch
        {
            string text => Encode(text, space),
            IUtf8SpanFormattable formattable when formattable.TryFormat(space, out var formatted, default, CultureInfo.InvariantCulture) => formatted,
            _ => Encode(Convert.ToString(value, CultureInfo.InvariantCulture), space),
        };
        End(name, written);
        _properties[_propertyCount++] = name.Name;
    }

    private bool TryBegin(JournalFieldName name, int maxValueBytes, out Span<byte> space)
    {
        var room = _capacity - _length - name.Ascii.Length - Gap - 1;
        if (room <= 0)
        {
            space = default;
            return false;
        }

        name.Ascii.CopyTo(_buffer.AsSpan(_length));
        space = _buffer.AsSpan(_length + name.Ascii.Length + Gap, Math.Min(room, maxValueBytes));
        return true;
    }

    private void End(JournalFieldName name, int valueLength)
    {
        var separator = _length + name.Ascii.Length;
        var value = _buffer.AsSpan(separator + Gap, valueLength);
        if (value.Contains((byte)'\n'))
        {
            _buffer[separator] = (byte)'\n';
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(separator + 1, 8), (ulong)valueLength);
            _length = separator + Gap + valueLength;
        }
        else
        {
            _buffer[separator] = (byte)'=';
            value.CopyTo(_buffer.AsSpan(separator + 1));
            _length = separator + 1 + valueLength;
        }

        _buffer[_length++] = (byte)'\n';
    }

    private static int Encode(ReadOnlySpan<char> value, Span<byte> destination)
    {
        // Too small a destination stops at the last whole character, which is the cut we want.
        Utf8.FromUtf16(value, destination, out _, out var written, replaceInvalidSequences: true, isFinalBlock: true);
        return written;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
