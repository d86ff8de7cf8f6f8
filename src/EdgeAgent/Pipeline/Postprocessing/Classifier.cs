using System.Numerics.Tensors;

namespace EdgeAgent.Pipeline.Postprocessing;

/// <summary>Classification: optional softmax over the scores, then the top k, highest first.</summary>
public sealed class Classifier(bool softmax, int topK)
{
    private float[] _probabilities = [];

    public int TopK { get; } = topK > 0 ? topK : throw new ArgumentException($"postprocess.top_k is {topK}; it must be 1 or more", nameof(topK));

    /// <summary>
    /// Writes up to <see cref="TopK"/> classes into <paramref name="top"/> and returns how many. Scores that are not
    /// finite (a broken model on probation) are skipped, so they never reach a result.
    /// </summary>
    public int Run(ReadOnlySpan<float> scores, Span<ScoredClass> top)
    {
        var values = scores;
        if (softmax)
        {
            if (_probabilities.Length != scores.Length)
            {
                _probabilities = new float[scores.Length];
            }

            TensorPrimitives.SoftMax(scores, _probabilities);
            values = _probabilities;
        }

        var count = Math.Min(Math.Min(TopK, top.Length), values.Length);
        for (var i = 0; i < count; i++)
        {
            top[i] = new ScoredClass(-1, float.NegativeInfinity);
        }

        for (var index = 0; index < values.Length; index++)
        {
            var score = values[index];
            if (count == 0 || !float.IsFinite(score) || !(score > top[count - 1].Score))
            {
                continue;
            }

            var position = count - 1;
            while (position > 0 && score > top[position - 1].Score)
            {
                top[position] = top[position - 1];
                position--;
            }

            top[position] = new ScoredClass(index, score);
        }

        var found = 0;
        while (found < count && top[found].Index >= 0)
        {
            found++;
        }

        return found;
    }
}
