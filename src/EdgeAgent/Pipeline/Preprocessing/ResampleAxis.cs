namespace EdgeAgent.Pipeline.Preprocessing;

/// <summary>
/// One axis of a bilinear resize with half-pixel centres: per output coordinate, the two source coordinates to
/// blend and the weight of the second; <c>First</c> is -1 where the output is padding. Content outputs are the
/// contiguous run from <see cref="ContentStart"/> to <see cref="ContentEnd"/> (exclusive).
/// </summary>
internal sealed record ResampleAxis(int[] First, int[] Second, float[] Weight, int ContentStart, int ContentEnd)
{
    public static ResampleAxis For(int outputSize, int sourceSize, double scale, double offset)
    {
        var first = new int[outputSize];
        var second = new int[outputSize];
        var weight = new float[outputSize];
        var contentStart = offset;
        var contentEnd = offset + (sourceSize * scale);
        int start = outputSize, end = 0;
        for (var o = 0; o < outputSize; o++)
        {
            if (o + 0.5 < contentStart || o + 0.5 > contentEnd)
            {
                first[o] = -1;
                continue;
            }

            var source = Math.Max(((o - offset + 0.5) / scale) - 0.5, 0);
            var lower = Math.Min((int)Math.Floor(source), sourceSize - 1);
            first[o] = lower;
            second[o] = Math.Min(lower + 1, sourceSize - 1);
            weight[o] = (float)(source - lower);
            start = Math.Min(start, o);
            end = o + 1;
        }

        return new ResampleAxis(first, second, weight, Math.Min(start, end), end);
    }

    /// <summary>The lowest source coordinate any content output reads.</summary>
    public int SourceStart => ContentStart < ContentEnd ? First[ContentStart] : 0;

    /// <summary>One past the highest source coordinate any content output reads.</summary>
    public int SourceEnd => ContentStart < ContentEnd ? Second[ContentEnd - 1] + 1 : 0;
}
