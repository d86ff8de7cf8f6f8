using System.Globalization;

namespace EdgeAgent.Sensors;

/// <summary>Parses one line of numbers (separated by white space, commas or semicolons) into a sample's channels.</summary>
public static class SampleLine
{
    private static readonly char[] s_separators = [' ', '\t', ',', ';'];

    public static void Parse(ReadOnlySpan<char> line, Span<float> values, string where)
    {
        var count = 0;
        foreach (var range in line.SplitAny(s_separators))
        {
            var field = line[range];
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
                throw new SensorValueException($"{where}: '{field.ToString()}' is not a number (in '{Shorten(line)}')");
            }

            count++;
        }

        if (count != values.Length)
        {
            throw new SensorValueException($"{where}: {count} value(s) for {values.Length} channel(s) in '{Shorten(line)}'");
        }
    }

    private static string Shorten(ReadOnlySpan<char> line) => line.Length > 80 ? string.Concat(line[..80], "...") : line.ToString();
}
