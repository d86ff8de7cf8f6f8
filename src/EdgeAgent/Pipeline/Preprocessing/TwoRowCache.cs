namespace EdgeAgent.Pipeline.Preprocessing;

/// <summary>
/// The last two rows worked out for one frame, by source row index: output rows visit source rows in rising order,
/// so the row with the lower index is the one not needed again. Cleared before each frame.
/// </summary>
internal sealed class TwoRowCache(int length)
{
    private readonly float[] _first = new float[length];
    private readonly float[] _second = new float[length];
    private int _firstIndex = -1;
    private int _secondIndex = -1;

    public void Clear() => (_firstIndex, _secondIndex) = (-1, -1);

    /// <summary>The row already worked out for <paramref name="index"/> in this frame, or null.</summary>
    public float[]? Find(int index) =>
        index == _firstIndex ? _first : index == _secondIndex ? _second : null;

    /// <summary>The buffer to work out row <paramref name="index"/> into, in place of the older row.</summary>
    public float[] Replace(int index)
    {
        if (_firstIndex <= _secondIndex)
        {
            _firstIndex = index;
            return _first;
        }

        _secondIndex = index;
        return _second;
    }
}
