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
    private readonly OrtTensor _input;
    private readonly OrtTensor[] _outputs;
    private readonly SessionBinding _binding;
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
        _input = SessionBuffers.Allocate(session.Environment, session.Inputs[0].ElementType, shape);
        try
        {
            _outputs = AllocateOutputs(session, _input);
            _binding = session.CreateBinding();
            _binding.BindInput(0, _input);
            for (var i = 0; i < _outputs.Length; i++)
            {
                _binding.BindOutput(i, _outputs[i]);
            }
        }
        catch
        {
            _input.Dispose();
            throw;
        }

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

        Result = new InferenceResult(descriptor.Postprocess.TopK);
    }

    public ModelPackage Package { get; }

    /// <summary>The outcome of the last <see cref="Run"/>.</summary>
    public InferenceResult Result { get; }

    /// <summary>The outputs as the last run left them (for the <c>raw</c> task).</summary>
    public IReadOnlyList<OrtTensor> Outputs => _outputs;

    public IReadOnlyList<NodeInfo> OutputInfo => _session.Outputs;

    /// <summary>Preprocesses <paramref name="frame"/>, runs the model and postprocesses into <see cref="Result"/>.</summary>
    public InferenceResult Run(Frame frame, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var start = Stopwatch.GetTimestamp();
        switch (_input.ElementType)
        {
            case TensorElementType.UInt8:
                _preprocessor.Run(frame.Buffer, _input.AsSpan<byte>());
                break;
            case TensorElementType.Int8:
                _preprocessor.Run(frame.Buffer, _input.AsSpan<sbyte>());
                break;
            default:
                _preprocessor.Run(frame.Buffer, _input.AsSpan<float>());
                break;
        }

        var preprocessed = Stopwatch.GetTimestamp();
        _binding.Run(cancellationToken);
        var inferred = Stopwatch.GetTimestamp();

        var result = Result;
        result.TopCount = 0;
        result.SetDetections([], 0);
        if (_classifier is not null)
        {
            result.TopCount = _classifier.Run(_outputs[0].AsSpan<float>(), result.TopBuffer);
        }
        else if (_detector is not null)
        {
            var second = _detector.OutputCount > 1 ? _outputs[1].AsSpan<float>() : default;
            result.SetDetections(_detector.Run(_outputs[0].AsSpan<float>(), _outputs[0].Shape, second, _preprocessor.Mapping), _minScore);
        }

        var done = Stopwatch.GetTimestamp();
        result.FrameIndex = frame.Index;
        result.Timestamp = frame.Timestamp;
        result.PreMs = Stopwatch.GetElapsedTime(start, preprocessed).TotalMilliseconds;
        result.InferMs = Stopwatch.GetElapsedTime(preprocessed, inferred).TotalMilliseconds;
        result.PostMs = Stopwatch.GetElapsedTime(inferred, done).TotalMilliseconds;
        return result;
    }

    public void Dispose()
    {
        _binding.Dispose();
        _input.Dispose();
        foreach (var output in _outputs)
        {
            output.Dispose();
        }
    }

    /// <summary>Output buffers sized by one trial run, so outputs whose size follows the input are covered too.</summary>
    internal static OrtTensor[] AllocateOutputs(InferenceSession session, OrtTensor input)
    {
        var outputs = new List<OrtTensor>();
        foreach (var trial in session.Run(new Dictionary<string, OrtTensor> { [session.Inputs[0].Name] = input }))
        {
            using (trial)
            {
                outputs.Add(SessionBuffers.Allocate(session.Environment, trial.ElementType, [.. trial.Shape]));
            }
        }

        return [.. outputs];
    }
}
