using System.Diagnostics;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Onnx.Benchmarking;
using EdgeAgent.Pipeline.Postprocessing;
using EdgeAgent.Pipeline.Preprocessing;
using EdgeAgent.Sources;

namespace EdgeAgent.Pipeline;

/// <summary>
/// One stream's use of one model: the input tensor over a pinned buffer and the outputs allocated once, bound to
/// the shared session, the preprocessing planned for the stream's frame size, and the postprocessing for the task.
/// A steady frame allocates nothing. Not thread-safe: one per stream.
/// </summary>
public sealed class ModelRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly ImagePreprocessor _preprocessor;
    private readonly BoundModel _bound;
    private readonly Classifier? _classifier;
    private readonly DetectionDecoder? _detector;
    private readonly float _minScore;

    public ModelRunner(ModelPackage package, InferenceSession session, FrameGeometry frame, float minScore)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(session);
        Package = package;
        _session = session;
        _minScore = minScore;
        var descriptor = package.Descriptor;
        if (ModelInputCheck.Problem(descriptor.Input, session.Inputs) is { } mismatch)
        {
            throw new InvalidDataException($"model {package.Name} v{package.Version}: {mismatch}");
        }

        if (session.Inputs.Count != 1)
        {
            throw new InvalidDataException($"model {package.Name} v{package.Version} has {session.Inputs.Count} inputs; an image model takes one");
        }

        _preprocessor = ImagePreprocessor.Create(descriptor.Input, frame);
        var channels = descriptor.Input.Color == "gray" ? 1 : 3;
        long[] shape = descriptor.Input.Layout == "NHWC"
            ? [1, descriptor.Input.Height, descriptor.Input.Width, channels]
            : [1, channels, descriptor.Input.Height, descriptor.Input.Width];
        switch (descriptor.Task)
        {
            case "classification":
                _classifier = new Classifier(descriptor.Postprocess.Softmax, descriptor.Postprocess.TopK);
                break;
            case "detection":
                _detector = new DetectionDecoder(descriptor.Postprocess.Format!, descriptor.Input.Width, descriptor.Input.Height, descriptor.Postprocess.Threshold, descriptor.Postprocess.Iou);
                break;
            default:
                break;
        }

        // Last, so that nothing can throw once the native buffers are held.
        _bound = new BoundModel(session, session.Inputs[0].ElementType, shape);
        Result = new InferenceResult(descriptor.Postprocess.TopK);
    }

    public ModelPackage Package { get; }

    /// <summary>The outcome of the last <see cref="Run"/>.</summary>
    public InferenceResult Result { get; }

    /// <summary>The outputs as the last run left them (for the <c>raw</c> task).</summary>
    public IReadOnlyList<OrtTensor> Outputs => _bound.Outputs;

    public IReadOnlyList<NodeInfo> OutputInfo => _session.Outputs;

    /// <summary>Preprocesses <paramref name="frame"/>, runs the model and postprocesses into <see cref="Result"/>.</summary>
    public InferenceResult Run(Frame frame, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var start = Stopwatch.GetTimestamp();
        switch (_bound.Input.ElementType)
        {
            case TensorElementType.UInt8:
                _preprocessor.Run(frame.Buffer, _bound.Input.AsSpan<byte>());
                break;
            case TensorElementType.Int8:
                _preprocessor.Run(frame.Buffer, _bound.Input.AsSpan<sbyte>());
                break;
            default:
                _preprocessor.Run(frame.Buffer, _bound.Input.AsSpan<float>());
                break;
        }

        var preprocessed = Stopwatch.GetTimestamp();
        _bound.Run(cancellationToken);
        var inferred = Stopwatch.GetTimestamp();

        var result = Result;
        result.TopCount = 0;
        result.SetDetections([], 0);
        if (_classifier is not null)
        {
            result.TopCount = _classifier.Run(_bound.Outputs[0].AsSpan<float>(), result.TopBuffer);
        }
        else if (_detector is not null)
        {
            var second = _detector.OutputCount > 1 ? _bound.Outputs[1].AsSpan<float>() : default;
            result.SetDetections(_detector.Run(_bound.Outputs[0].AsSpan<float>(), _bound.Outputs[0].Shape, second, _preprocessor.Mapping), _minScore);
        }

        var done = Stopwatch.GetTimestamp();
        result.FrameIndex = frame.Index;
        result.Timestamp = frame.Timestamp;
        result.SetTimings(start, preprocessed, inferred, done);
        return result;
    }

    public void Dispose() => _bound.Dispose();
}
