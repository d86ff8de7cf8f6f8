namespace EdgeAgent.Pipeline.Postprocessing;

/// <summary>Per-class greedy non-maximum suppression, in place over a candidate buffer.</summary>
public static class NonMaximumSuppression
{
    /// <summary>
    /// Sorts <paramref name="candidates"/> by score, highest first, and keeps each box unless a kept box of the same
    /// class overlaps it by more than <paramref name="iou"/>. Kept boxes end up first; returns how many.
    /// </summary>
    public static int Apply(Span<Detection> candidates, float iou)
    {
        candidates.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        var kept = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            var candidate = candidates[i];
            var suppressed = false;
            for (var k = 0; k < kept && !suppressed; k++)
            {
                suppressed = candidates[k].ClassIndex == candidate.ClassIndex && candidates[k].IntersectionOverUnion(candidate) > iou;
            }

            if (!suppressed)
            {
                candidates[kept++] = candidate;
            }
        }

        return kept;
    }
}
