namespace EdgeAgent.Protocol;

/// <summary>Label files as CONTRACT.md section 5 reads them.</summary>
public static class Labels
{
    /// <summary>
    /// One label per line; a leading WordNet id (<c>n01443537 </c>) and anything after the first comma are dropped,
    /// so <c>n01443537 goldfish, Carassius auratus</c> gives <c>goldfish</c>. Blank trailing lines are ignored.
    /// </summary>
    public static IReadOnlyList<string> Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var labels = lines.Select(Clean).ToList();
        while (labels.Count > 0 && labels[^1].Length == 0)
        {
            labels.RemoveAt(labels.Count - 1);
        }

        return labels;
    }

    public static string Clean(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.Trim();
        if (text.Length > 10 && text[0] == 'n' && text[9] == ' ' && text.AsSpan(1, 8).ContainsAnyExceptInRange('0', '9') is false)
        {
            text = text[10..];
        }

        var comma = text.IndexOf(',', StringComparison.Ordinal);
        return (comma >= 0 ? text[..comma] : text).Trim();
    }
}
