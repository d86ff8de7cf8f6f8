using EdgeAgent.Pipeline;

namespace EdgeAgent.Updates;

/// <summary>A version's runners, one per stream of its model, ready to be swapped in; released whole if it never is.</summary>
internal sealed class PreparedVersion
{
    /// <summary>For the camera streams, in the registry's order.</summary>
    public List<ServingModel> Frames { get; } = [];

    /// <summary>For the sensor streams, in the registry's order.</summary>
    public List<WindowServing> Windows { get; } = [];

    /// <summary>The streams that will run the version.</summary>
    public int Count => Frames.Count + Windows.Count;

    public void Release()
    {
        Frames.ForEach(f => f.Release());
        Windows.ForEach(w => w.Release());
    }
}
