using System.Globalization;
using System.Text;

namespace EdgeAgent.Sensors;

/// <summary>
/// The <c>replay</c> kind: a CSV file with a header row, a time column (seconds, or ISO 8601 timestamps) and a
/// column per channel. Rows are replayed at the recorded pace (<paramref name="rateHz"/> 0) or at a fixed rate, on a
/// drift-free schedule from the first row; with <paramref name="loop"/> the file starts again at its end, else the
/// stream ends. Not <paramref name="realtime"/>, rows come as fast as they are taken, stamped with their replay time.
/// In real time on the system clock it is <see cref="Blocking"/>: it sleeps until each row's moment on the thread
/// that reads it (a timer per row cost 16% of a core at 1 kHz). Rows are read as bytes into one reused buffer and
/// their fields parsed where they lie, so a row allocates nothing.
/// </summary>
public sealed class ReplayFeed(string path, string timeColumn, IReadOnlyList<string> channels, double rateHz, bool loop, bool realtime, TimeProvider time) : ISensorFeed
{
    private FileStream? _file;
    private LineReader? _reader;
    private int[] _columns = [];
    private int _timeIndex;
    private long _line;
    private long _rows;
    private double _firstTime = double.NaN;
    private double _passOffset;
    private double _lastTime;
    private double _recordedInterval;
    private long _startTimestamp;
    private DateTimeOffset _start;

    public int Channels => channels.Count;

    public string Description => $"replay {path}";

    public bool Blocking => realtime && time == TimeProvider.System;

    public void Open()
    {
        Close();
        try
        {
            _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SensorUnavailableException($"{path} cannot be opened: {ex.Message}", ex);
        }

        _reader = new LineReader(_file);
        if (!_reader.ReadLine())
        {
            throw new SensorUnavailableException($"{path} is empty: a header row naming the columns comes first");
        }

        var header = Encoding.UTF8.GetString(_reader.Line).TrimStart('\uFEFF');
        var names = header.Split(',').Select(n => n.Trim()).ToList();
        _timeIndex = names.IndexOf(timeColumn);
        if (rateHz <= 0 && _timeIndex < 0)
        {
            throw new SensorUnavailableException($"{path} has no time column '{timeColumn}' (its columns: {header})");
        }

        _columns = [.. channels.Select(c => names.IndexOf(c) is var i and >= 0 ? i : throw new SensorUnavailableException($"{path} has no column '{c}' (its columns: {header})"))];
        _line = 1;
        _rows = 0;
        _firstTime = double.NaN;
        _passOffset = 0;
        _startTimestamp = time.GetTimestamp();
        _start = time.GetUtcNow();
    }

    public async ValueTask<DateTimeOffset> ReadAsync(float[] values, CancellationToken cancellationToken)
    {
        var reader = _reader ?? throw new InvalidOperationException("the file is not open");
        cancellationToken.ThrowIfCancellationRequested();
        // A local file: reads come from the reader's buffer or the page cache, so they are not worth an await.
        _line++;
        if (!reader.ReadLine())
        {
            if (!loop || _rows == 0)
            {
                throw new EndOfStreamException($"{path} ended after {_rows} row(s)");
            }

            // The next pass follows the last row by the recording's mean interval.
            _passOffset += _lastTime - _firstTime + _recordedInterval;
            reader.Rewind();
            reader.ReadLine();
            _line = 1;
            return await ReadAsync(values, cancellationToken);
        }

        var line = reader.Line;
        if (line.IsEmpty)
        {
            throw new SensorValueException($"{path}:{_line}: an empty row");
        }

        for (var channel = 0; channel < _columns.Length; channel++)
        {
            if (!TryField(line, _columns[channel], out var field) || !float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out values[channel]))
            {
                throw new SensorValueException($"{path}:{_line}: column '{channels[channel]}' is '{Encoding.UTF8.GetString(field)}', not a number");
            }
        }

        double offset;
        if (rateHz > 0)
        {
            offset = _rows / rateHz;
        }
        else
        {
            _ = TryField(line, _timeIndex, out var field);
            var recorded = ParseTime(field, _line);
            if (double.IsNaN(_firstTime))
            {
                _firstTime = recorded;
            }

            offset = _passOffset + recorded - _firstTime;
            _recordedInterval = _rows > 0 ? (recorded - _firstTime) / _rows : 0;
            _lastTime = recorded;
        }

        _rows++;
        if (Blocking)
        {
            ClockSleep.Until(time, _startTimestamp + (long)(offset * time.TimestampFrequency), cancellationToken);
        }
        else if (realtime)
        {
            var wait = TimeSpan.FromSeconds(offset) - time.GetElapsedTime(_startTimestamp);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }
        }

        return _start.AddSeconds(offset);
    }

    public void Close()
    {
        _file?.Dispose();
        _file = null;
        _reader = null;
    }

    public void Dispose() => Close();

    private double ParseTime(ReadOnlySpan<byte> text, long line)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds;
        }

        Span<char> chars = stackalloc char[64];
        return text.Length <= chars.Length
            && DateTimeOffset.TryParse(chars[..Encoding.UTF8.GetChars(text, chars)], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUnixTimeMilliseconds() / 1000.0
            : throw new SensorValueException($"{path}:{line}: the time '{Encoding.UTF8.GetString(text)}' is neither seconds nor an ISO 8601 timestamp");
    }

    /// <summary>The comma-separated field at <paramref name="index"/>; false (and an empty field) when the row is shorter.</summary>
    private static bool TryField(ReadOnlySpan<byte> line, int index, out ReadOnlySpan<byte> field)
    {
        for (var i = 0; i < index; i++)
        {
            var comma = line.IndexOf((byte)',');
            if (comma < 0)
            {
                field = default;
                return false;
            }

            line = line[(comma + 1)..];
        }

        var end = line.IndexOf((byte)',');
        field = end < 0 ? line : line[..end];
        return true;
    }
}
