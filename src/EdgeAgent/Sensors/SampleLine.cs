using System.Buffers;
using System.Globalization;
using System.Text;

namespace EdgeAgent.Sensors;

/// <summary>
/// Parses one line of numbers (separated by white space, commas or semicolons), as UTF-8 bytes, into a sample's
/// channels without allocating; only a bad line costs the text of its error.
/// </summary>
public static class SampleLine
{
    private static readonly SearchValues<byte> s_separators = SearchValues.Create(" \t,;\r"u8);

    public static void Parse(ReadOnlySpan<byte> line, Span<float> values, string where)
    {
        var count = 0;
        var rest = line;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOfAny(s_separators);
            var field = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (field.IsEmpty)
            {
                continue;
            }

            if (count == values.Length)
            {
                throw new SensorValueException($"{where}: more than {values.Length} value(s) in '{Shorten(line)}'");
            }

            if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out values[count]))
            {
                throw new SensorValueException($"{where}: '{Encoding.UTF8.GetString(field)}' is not a number (in '{Shorten(line)}')");
            }

            count++;
        }

        if (count != values.Length)
        {
            throw new SensorValueException($"{where}: {count} value(s) for {values.Length} channel(s) in '{Shorten(line)}'");
        }
    }

    private static string Shorten(ReadOnlySpan<byte> line) => line.Length > 80 ? Encoding.UTF8.GetString(line[..80]) + "..." : Encoding.UTF8.GetString(line);
}
