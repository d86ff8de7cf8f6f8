using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeAgent.Sensors;

/// <summary>
/// A path to one number in a JSON document: names and array indexes separated by dots, optionally after <c>$.</c>
/// (<c>temperature</c>, <c>$.sensors[1].value</c>, <c>sensors.1.value</c>). A number in a string counts too. The
/// document is read where it lies, as UTF-8, with a forward-only reader: a reading allocates nothing.
/// </summary>
public sealed class JsonPath
{
    private readonly (string Text, byte[] Name, int Index)[] _steps;

    public JsonPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Text = path;
        var trimmed = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        _steps = [.. trimmed.Replace("[", ".", StringComparison.Ordinal).Replace("]", string.Empty, StringComparison.Ordinal)
            .Split('.', StringSplitOptions.RemoveEmptyEntries)
            .Select(step => (step, Encoding.UTF8.GetBytes(step), int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1))];
    }

    public string Text { get; }

    /// <summary>The number at the path; <see cref="SensorValueException"/> says what was found instead, <see cref="JsonException"/> that it is not JSON.</summary>
    public float Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read())
        {
            throw new SensorValueException($"'{Text}': the document is empty");
        }

        foreach (var (text, name, index) in _steps)
        {
            var start = (int)reader.TokenStartIndex;
            var found = reader.TokenType switch
            {
                JsonTokenType.StartObject => FindProperty(ref reader, name),
                JsonTokenType.StartArray => index >= 0 && FindElement(ref reader, index),
                _ => false,
            };
            if (!found)
            {
                throw new SensorValueException($"'{Text}': no '{text}' in {Shorten(json, start, ref reader)}");
            }
        }

        var value = reader.TokenType switch
        {
            JsonTokenType.Number => reader.TryGetSingle(out var number) ? number : (float?)null,
            JsonTokenType.String when !reader.ValueIsEscaped => float.TryParse(reader.ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null,
            JsonTokenType.String => float.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null,
            _ => null,
        };
        return value ?? throw new SensorValueException($"'{Text}' is {Shorten(json, (int)reader.TokenStartIndex, ref reader)}, not a number");
    }

    /// <summary>From an object's start to the value of its property <paramref name="name"/>, or to its end.</summary>
    private static bool FindProperty(ref Utf8JsonReader reader, byte[] name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    /// <summary>From an array's start to its element <paramref name="index"/>, or to its end.</summary>
    private static bool FindElement(ref Utf8JsonReader reader, int index)
    {
        for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            if (i == index)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    /// <summary>The JSON text of the token that starts at <paramref name="start"/>, for an error (up to 60 characters).</summary>
    private static string Shorten(ReadOnlySpan<byte> json, int start, ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }

        var text = Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed]);
        return text.Length > 60 ? text[..60] + "..." : text;
    }
}
