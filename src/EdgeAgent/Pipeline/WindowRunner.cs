using System.Diagnostics;
using System.Numerics.Tensors;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Onnx.Benchmarking;
using EdgeAgent.Sensors;

namespace EdgeAgent.Pipeline;

/// <summary>
/// One sensor stream's use of an anomaly model: the window tensor (NTC <c>[1, T, C]</c> or NC <c>[1, T x C]</c>)
/// and the outputs allocated once and bound to the shared session, and the score: the model's first output value,
/// or for an autoencoder (<c>"score": "reconstruction"</c>) the mean squared error between the window it was given
/// and the window it gave back. A steady window allocates nothing. Not thread-safe: one per stream.
/// </summary>
public sealed class WindowRunner : IDisposable
{
    private readonly BoundModel _bound;
    private readonly bool _reconstruction;

    public WindowRunner(ModelPackage package, InferenceSession session, int channels, int window)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(session);
        Package = package;
        var descriptor = package.Descriptor;
        var input = descriptor.Input;
        var model = $"model {package.Name} v{package.Version}";
        if (descriptor.Task != "anomaly")
        {
            throw new InvalidDataException($"{model} is a {descriptor.Task} model; a sensor stream needs an anomaly model");
        }

        if (input.Layout is not ("NC" or "NTC"))
        {
            throw new InvalidDataException($"{model}: model.json says layout {input.Layout}; a sensor window is NC or NTC");
        }

        if ((input.Window is { } w && w != window) || (input.Channels is { } c && c != channels))
        {
            throw new InvalidDataException($"{model} takes windows of {input.Window} samples of {input.Channels} channel(s); the stream gives {window} of {channels}");
        }

        if (descriptor.Postprocess.Score is not ("output" or "reconstruction"))
        {
            throw new InvalidDataException($"{model}: model.json's postprocess score is '{descriptor.Postprocess.Score}'; it must be output or reconstruction");
        }

        if (session.Inputs.Count != 1)
        {
            throw new InvalidDataException($"{model} has {session.Inputs.Count} inputs; a window model takes one");
        }

        long[] shape = input.Layout == "NTC" ? [1, window, channels] : [1, (long)window * channels];
        var node = session.Inputs[0];
        if (node.ElementType != TensorElementType.Float32 || node.Shape.Count != shape.Length || Enumerable.Range(1, shape.Length - 1).Any(d => node.Shape[d] >= 0 && node.Shape[d] != shape[d]))
        {
            throw new InvalidDataException($"{model}: the model's input '{node.Name}' is {node.ElementType.ToName()} [{node.ShapeText}] but the stream's {input.Layout} windows are float32 [{string.Join(", ", shape)}]");
        }

        _bound = new BoundModel(session, TensorElementType.Float32, shape);
        OutputInfo = session.Outputs;
        _reconstruction = descriptor.Postprocess.Score == "reconstruction";
        var output = _bound.Outputs[0];
        if (output.ElementType != TensorElementType.Float32 || (_reconstruction && output.AsSpan<float>().Length != window * channels))
        {
            _bound.Dispose();
            throw new InvalidDataException($"{model}: its output '{session.Outputs[0].Name}' is {output.ElementType.ToName()} [{string.Join(", ", output.Shape)}]; the score needs float32{(_reconstruction ? $" with the window's {window * channels} values" : string.Empty)}");
        }

        Result = new InferenceResult(1) { IsWindow = true, Threshold = descriptor.Postprocess.Threshold };
    }

    public ModelPackage Package { get; }

    /// <summary>The outputs as the last run left them.</summary>
    public IReadOnlyList<OrtTensor> Outputs => _bound.Outputs;

    public IReadOnlyList<NodeInfo> OutputInfo { get; }

    /// <summary>The outcome of the last <see cref="Run"/>; the caller sets <see cref="InferenceResult.Anomalous"/>.</summary>
    public InferenceResult Result { get; }

    /// <summary>Runs the model on the window <paramref name="windows"/> completed last and scores it.</summary>
    public InferenceResult Run(WindowAssembler windows, long windowIndex, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var start = Stopwatch.GetTimestamp();
        var tensor = _bound.Input.AsSpan<float>();
        windows.CopyTo(tensor);
        var prepared = Stopwatch.GetTimestamp();
        _bound.Run(cancellationToken);
        var inferred = Stopwatch.GetTimestamp();
        var output = _bound.Outputs[0].AsSpan<float>();
        var score = _reconstruction ? MeanSquaredError(tensor, output) : output[0];
        var done = Stopwatch.GetTimestamp();

        var result = Result;
        result.Score = score;
        result.FrameIndex = windowIndex;
        result.Timestamp = windows.EndTime;
        result.WindowStart = windows.StartTime;
        result.WindowEnd = windows.EndTime;
        result.WindowSamples = windows.Window;
        result.SetTimings(start, prepared, prepared, inferred, inferred, done);
        return result;
    }

    public void Dispose() => _bound.Dispose();

    private static float MeanSquaredError(ReadOnlySpan<float> window, ReadOnlySpan<float> reconstruction)
    {
        var distance = TensorPrimitives.Distance(window, reconstruction);
        return distance * distance / window.Length;
    }
}
