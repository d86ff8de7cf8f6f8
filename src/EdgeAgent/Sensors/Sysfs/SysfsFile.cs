using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace EdgeAgent.Sensors.Sysfs;

/// <summary>
/// One sysfs attribute, opened once and re-read from offset 0 into a small buffer (no string per read). A read that
/// fails, or a file that is no longer there (checked once a second: a deleted file stays readable through an open
/// handle, while the kernel answers ENODEV), makes the sensor unavailable.
/// </summary>
public sealed class SysfsFile(string path, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan s_recheck = TimeSpan.FromSeconds(1);
    private readonly byte[] _buffer = new byte[256];
    private SafeFileHandle? _handle;
    private long _checkedAt;

    public string Path => path;

    public void Open()
    {
        Close();
        try
        {
            _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SensorUnavailableException($"{path} cannot be opened: {ex.Message}", ex);
        }

        _checkedAt = time.GetTimestamp();
    }

    /// <summary>The attribute's content, without surrounding white space; valid until the next read.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var handle = _handle ?? throw new InvalidOperationException($"{path} is not open");
        if (time.GetElapsedTime(_checkedAt) >= s_recheck)
        {
            if (!File.Exists(path))
            {
                throw new SensorUnavailableException($"{path} is gone");
            }

            _checkedAt = time.GetTimestamp();
        }

        int read;
        try
        {
            read = RandomAccess.Read(handle, _buffer, 0);
        }
        catch (IOException ex)
        {
            throw new SensorUnavailableException($"{path} cannot be read: {ex.Message}", ex);
        }

        return _buffer.AsSpan(0, read).Trim(" \t\r\n\0"u8);
    }

    /// <summary>The attribute as one decimal number (integer or not).</summary>
    public double ReadNumber()
    {
        var text = ReadBytes();
        return ParseNumber(text, path);
    }

    public static double ParseNumber(ReadOnlySpan<byte> text, string path) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new SensorValueException($"{path} holds '{Show(text)}', not a number");

    public void Close()
    {
        _handle?.Dispose();
        _handle = null;
    }

    public void Dispose() => Close();

    internal static string Show(ReadOnlySpan<byte> text) =>
        System.Text.Encoding.UTF8.GetString(text.Length > 40 ? text[..40] : text).ReplaceLineEndings("\\n");
}
