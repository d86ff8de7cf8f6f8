using System.Globalization;

namespace EdgeCtl.Commands.Push;

/// <summary>The inclusive <c>[from, to]</c> chunk ranges a device lists as missing, bounded to the update's chunks.</summary>
internal static class MissingRanges
{
    /// <summary>The chunk indexes named, each once, in order; ranges outside <c>0..chunkCount-1</c> are cut to it.</summary>
    public static IReadOnlyList<int> Indexes(IReadOnlyList<IReadOnlyList<int>> ranges, int chunkCount)
    {
        var indexes = new SortedSet<int>();
        foreach (var range in ranges)
        {
            if (range.Count is not (1 or 2))
            {
                continue;
            }

            var from = Math.Max(0, range[0]);
            var to = Math.Min(chunkCount - 1, range[^1]);
            for (var i = from; i <= to; i++)
            {
                indexes.Add(i);
            }
        }

        return [.. indexes];
    }

    /// <summary>"3-7, 9" for people.</summary>
    public static string Describe(IReadOnlyList<int> indexes)
    {
        var parts = new List<string>();
        for (var i = 0; i < indexes.Count;)
        {
            var j = i;
            while (j + 1 < indexes.Count && indexes[j + 1] == indexes[j] + 1)
            {
                j++;
            }

            parts.Add(i == j ? indexes[i].ToString(CultureInfo.InvariantCulture) : $"{indexes[i].ToString(CultureInfo.InvariantCulture)}-{indexes[j].ToString(CultureInfo.InvariantCulture)}");
            i = j + 1;
        }

        return string.Join(", ", parts);
    }
}
