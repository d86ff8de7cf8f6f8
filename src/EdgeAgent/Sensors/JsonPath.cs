using System.Globalization;
using System.Text.Json;

namespace EdgeAgent.Sensors;

/// <summary>
/// A path to one number in a JSON document: names and array indexes separated by dots, optionally after <c>$.</c>
/// (<c>temperature</c>, <c>$.sensors[1].value</c>, <c>sensors.1.value</c>). A number in a string counts too.
/// </summary>
public sealed class JsonPath
{
    private readonly string[] _steps;

    public JsonPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Text = path;
        var trimmed = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        _steps = trimmed.Replace("[", ".", StringComparison.Ordinal).Replace("]", string.Empty, StringComparison.Ordinal)
            .Split('.', StringSplitOptions.RemoveEmptyEntries);
    }

    public string Text { get; }

    /// <summary>The number at the path; <see cref="SensorValueException"/> says what was found instead.</summary>
    public float Read(JsonElement root)
    {
        var element = root;
        foreach (var step in _steps)
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(step, out var property))
            {
                element = property;
            }
            else if (element.ValueKind == JsonValueKind.Array && int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < element.GetArrayLength())
            {
                element = element[index];
            }
            else
            {
                throw new SensorValueException($"'{Text}': no '{step}' in {Shorten(element)}");
            }
        }

        return element.ValueKind switch
        {
            JsonValueKind.Number => element.GetSingle(),
            JsonValueKind.String when float.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
            _ => throw new SensorValueException($"'{Text}' is {Shorten(element)}, not a number"),
        };
    }

    private static string Shorten(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length > 60 ? text[..60] + "..." : text;
    }
}
