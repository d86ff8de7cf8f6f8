namespace EdgeAgent.Sensors;

/// <summary>
/// Reads lines of bytes from a stream into one buffer that it reuses, so that a line costs no string and, once
/// warm, no allocation at all. A line longer than the buffer is skipped whole and reported as an invalid sample.
/// </summary>
public sealed class LineReader(Stream stream, int longest = 4096)
{
    private readonly byte[] _buffer = new byte[longest];
    private int _start;
    private int _end;
    private int _lineStart;
    private int _lineLength;
    private bool _overlong;

    /// <summary>The line read last, without its line end; valid until the next read.</summary>
    public ReadOnlySpan<byte> Line => _buffer.AsSpan(_lineStart, _lineLength);

    /// <summary>Reads a seekable stream (a file) again from its start, forgetting what is buffered.</summary>
    public void Rewind()
    {
        stream.Position = 0;
        (_start, _end, _lineStart, _lineLength, _overlong) = (0, 0, 0, 0, false);
    }

    /// <summary>Reads the next line into <see cref="Line"/>, blocking until it comes; false at the end of the stream.</summary>
    public bool ReadLine()
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                (_lineStart, _lineLength) = (_start, newline);
                _start += newline + 1;
                if (_overlong)
                {
                    _overlong = false;
                    throw new SensorValueException($"a line longer than {_buffer.Length} bytes was skipped");
                }

                if (_lineLength > 0 && _buffer[_lineStart + _lineLength - 1] == (byte)'\r')
                {
                    _lineLength--;
                }

                return true;
            }

            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                (_end, _start) = (_end - _start, 0);
            }

            if (_end == _buffer.Length)
            {
                // No line end in a full buffer: drop what there is and the rest of the line as it comes.
                (_start, _end, _overlong) = (0, 0, true);
            }

            var read = stream.Read(_buffer.AsSpan(_end));
            if (read == 0)
            {
                // The last line may lack its line end.
                (_lineStart, _lineLength, _start) = (_start, _end - _start, _end);
                return _lineLength > 0 && !_overlong;
            }

            _end += read;
        }
    }
}
