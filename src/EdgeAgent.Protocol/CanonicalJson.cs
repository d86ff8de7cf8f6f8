using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeAgent.Protocol;

/// <summary>
/// RFC 8785, the JSON Canonicalization Scheme: object members sorted by their names' UTF-16 code units, no
/// whitespace, strings with the minimal escapes, numbers as ECMAScript prints them. The bytes signatures cover.
/// </summary>
public static class CanonicalJson
{
    /// <summary>The canonical UTF-8 bytes of a JSON text.</summary>
    /// <exception cref="JsonException">The text is not JSON, or holds a number JSON cannot carry exactly (NaN, infinity).</exception>
    public static byte[] Canonicalize(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        return Canonicalize(document.RootElement);
    }

    public static byte[] Canonicalize(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(element, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(JsonElement element, ArrayBufferWriter<byte> output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                Append(output, "{");
                var first = true;
                foreach (var member in element.EnumerateObject().OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        Append(output, ",");
                    }

                    first = false;
                    WriteString(member.Name, output);
                    Append(output, ":");
                    Write(member.Value, output);
                }

                Append(output, "}");
                break;
            case JsonValueKind.Array:
                Append(output, "[");
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        Append(output, ",");
                    }

                    Write(item, output);
                }

                Append(output, "]");
                break;
            case JsonValueKind.String:
                WriteString(element.GetString()!, output);
                break;
            case JsonValueKind.Number:
                Append(output, FormatNumber(element.GetDouble()));
                break;
            case JsonValueKind.True:
                Append(output, "true");
                break;
            case JsonValueKind.False:
                Append(output, "false");
                break;
            default:
                Append(output, "null");
                break;
        }
    }

    /// <summary>Only '"', '\\' and control characters are escaped; everything else goes out as UTF-8.</summary>
    private static void WriteString(string value, ArrayBufferWriter<byte> output)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        Append(output, text.Append('"').ToString());
    }

    /// <summary>ECMAScript's Number::toString: the shortest digits that round-trip, in plain or exponent form by magnitude.</summary>
    public static string FormatNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new JsonException($"{value} cannot be represented in canonical JSON");
        }

        if (value == 0)
        {
            return "0";
        }

        var sign = value < 0 ? "-" : string.Empty;
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = shortest.IndexOf('E', StringComparison.Ordinal);
        var mantissa = exponentAt < 0 ? shortest : shortest[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(shortest[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = point < 0 ? mantissa.Length : point;
        var digits = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);

        // value = 0.digits x 10^n, with digits free of leading and trailing zeros.
        var n = integerDigits + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        n -= leadingZeros;
        var k = digits.Length;

        if (k <= n && n <= 21)
        {
            return sign + digits + new string('0', n - k);
        }

        if (n > 0 && n <= 21)
        {
            return sign + digits[..n] + "." + digits[n..];
        }

        if (n > -6 && n <= 0)
        {
            return sign + "0." + new string('0', -n) + digits;
        }

        var e = n - 1;
        var exponentText = (e < 0 ? "-" : "+") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        return k == 1
            ? sign + digits + "e" + exponentText
            : sign + digits[0] + "." + digits[1..] + "e" + exponentText;
    }

    private static void Append(ArrayBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
