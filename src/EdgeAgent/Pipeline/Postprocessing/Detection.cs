namespace EdgeAgent.Pipeline.Postprocessing;

/// <summary>One object found: its class, score and box (top-left corner and size), as fractions of the original frame.</summary>
public readonly record struct Detection(int ClassIndex, float Score, float X, float Y, float Width, float Height)
{
    /// <summary>Intersection over union with another box.</summary>
    public float IntersectionOverUnion(in Detection other)
    {
        var left = Math.Max(X, other.X);
        var top = Math.Max(Y, other.Y);
        var right = Math.Min(X + Width, other.X + other.Width);
        var bottom = Math.Min(Y + Height, other.Y + other.Height);
        var intersection = Math.Max(0, right - left) * Math.Max(0, bottom - top);
        var union = (Width * Height) + (other.Width * other.Height) - intersection;
        return union > 0 ? intersection / union : 0;
    }
}

/// <summary>One class and its score.</summary>
public readonly record struct ScoredClass(int Index, float Score);
