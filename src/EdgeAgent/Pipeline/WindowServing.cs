namespace EdgeAgent.Pipeline;

/// <summary>
/// What a sensor stream runs each window on: the model's window runner, its result writer, the threshold below which
/// an anomaly ends (the stream's leave ratio of the model's threshold) and, during probation, a watch. Whoever a swap
/// hands it back to releases it.
/// </summary>
public sealed record WindowServing(WindowRunner Runner, ResultWriter Writer, float LeaveThreshold, IInferenceWatch? Watch = null, Action? Released = null)
{
    /// <summary>Disposes the runner and the writer, then tells the owner of the session under them.</summary>
    public void Release()
    {
        Runner.Dispose();
        Writer.Dispose();
        Released?.Invoke();
    }
}
