using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeCtl.Commands.Watch;

/// <summary>One readable line per result payload (CONTRACT.md section 6), whatever its task.</summary>
internal static class ResultLine
{
    public static string Format(string source, ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            var line = new StringBuilder();
            line.Append(Text(root, "ts") ?? "-").Append(' ').Append(source);
            if (root.TryGetProperty("seq", out var seq))
            {
                line.Append(" #").Append(seq.GetRawText());
            }

            if (root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.Object)
            {
                line.Append(' ').Append(Text(model, "name") ?? "?").Append(" v").Append(model.TryGetProperty("version", out var v) ? v.GetRawText() : "?");
            }

            line.Append(": ").Append(Task(root));
            if (root.TryGetProperty("timing_ms", out var timing) && timing.TryGetProperty("total", out var total) && total.ValueKind == JsonValueKind.Number)
            {
                line.Append("  ").Append(Number(total)).Append(" ms");
            }

            if (root.TryGetProperty("frame", out var frame) && frame.TryGetProperty("index", out var index))
            {
                line.Append(", frame ").Append(index.GetRawText());
            }

            return line.ToString();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return $"{source}: unreadable result ({ex.Message}): {Encoding.UTF8.GetString(payload.Span[..Math.Min(payload.Length, 200)])}";
        }
    }

    private static string Task(JsonElement root)
    {
        if (root.TryGetProperty("top", out var top))
        {
            return string.Join(", ", top.EnumerateArray().Select(t => $"{Text(t, "label") ?? "#" + t.GetProperty("index").GetRawText()} {Number(t.GetProperty("score"))}"));
        }

        if (root.TryGetProperty("detections", out var detections))
        {
            var items = detections.EnumerateArray().Select(d =>
            {
                var box = d.GetProperty("box");
                return $"{Text(d, "label") ?? "#" + d.GetProperty("index").GetRawText()} {Number(d.GetProperty("score"))} at {Number(box.GetProperty("x"))},{Number(box.GetProperty("y"))} {Number(box.GetProperty("w"))}x{Number(box.GetProperty("h"))}";
            }).ToList();
            return items.Count == 0 ? "no detections" : $"{items.Count} detection{(items.Count == 1 ? string.Empty : "s")}: {string.Join("; ", items)}";
        }

        if (root.TryGetProperty("anomaly", out var anomaly))
        {
            var threshold = root.TryGetProperty("threshold", out var t) ? " / " + Number(t) : string.Empty;
            var samples = root.TryGetProperty("window", out var window) && window.TryGetProperty("samples", out var n) ? $" over {n.GetRawText()} samples" : string.Empty;
            return $"score {Number(root.GetProperty("score"))}{threshold} {(anomaly.GetBoolean() ? "ANOMALY" : "normal")}{samples}";
        }

        if (root.TryGetProperty("outputs", out var outputs))
        {
            return "outputs " + string.Join(", ", outputs.EnumerateObject().Select(o =>
                $"{o.Name}[{string.Join('x', o.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetRawText()))}]"));
        }

        return Text(root, "task") is { } task ? $"{task} result" : "result";
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Number(JsonElement value) => value.GetDouble().ToString("0.###", CultureInfo.InvariantCulture);
}
