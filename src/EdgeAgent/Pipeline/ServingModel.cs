namespace EdgeAgent.Pipeline;

/// <summary>
/// What a stream runs each frame on: the model's runner, its result writer and, during probation, a watch. Whoever
/// a swap hands it back to releases it.
/// </summary>
public sealed record ServingModel(ModelRunner Runner, ResultWriter Writer, IInferenceWatch? Watch = null, Action? Released = null)
{
    /// <summary>The <c>raw</c> task: results carry the outputs themselves.</summary>
    public bool Raw { get; } = Runner.Package.Descriptor.Task == "raw";

    /// <summary>Disposes the runner and the writer, then tells the owner of the session under them.</summary>
    public void Release()
    {
        Runner.Dispose();
        Writer.Dispose();
        Released?.Invoke();
    }
}

/// <summary>Sees every inference of a model on probation (on the pipeline's thread, so it must be cheap).</summary>
public interface IInferenceWatch
{
    /// <param name="outputs">The model's outputs as this inference left them.</param>
    /// <param name="outputInfo">Their names, in the same order.</param>
    void Inferred(IReadOnlyList<Onnx.OrtTensor> outputs, IReadOnlyList<Onnx.NodeInfo> outputInfo, InferenceResult result);

    void Failed(string reason);
}
