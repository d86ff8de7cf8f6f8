using System.Diagnostics;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Onnx.Benchmarking;
using EdgeAgent.Pipeline.Postprocessing;
using EdgeAgent.Pipeline.Preprocessing;
using EdgeAgent.Sources;

namespace EdgeAgent.Pipeline;

/// <summary>
/// One stream's use of one model: two input slots, each an input tensor over a pinned buffer with outputs allocated
/// once and bound to the shared session, the preprocessing planned for the stream's frame size, and the
/// postprocessing for the task. One slot can be prepared or finished while the other is inferred (on two threads,
/// never the same slot on both); <see cref="Run"/> does all three steps on one. A steady frame allocates nothing.
/// </summary>
public sealed class ModelRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly ImagePreprocessor _preprocessor;
    private readonly BoundModel[] _slots;
    private readonly PreparedInput[] _prepared;
    private readonly InferenceSpan[] _inferred;
    private BoundModel _last;
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
        var first = new BoundModel(session, session.Inputs[0].ElementType, shape);
        try
        {
            _slots = [first, new BoundModel(session, first)];
        }
        catch
        {
            first.Dispose();
            throw;
        }

        _prepared = new PreparedInput[_slots.Length];
        _inferred = new InferenceSpan[_slots.Length];
        _last = first;
        Result = new InferenceResult(descriptor.Postprocess.TopK);
    }

    /// <summary>Input slots: frames that may be prepared or inferred at once.</summary>
    public int Slots => _slots.Length;

    public ModelPackage Package { get; }

    /// <summary>The outcome of the last <see cref="Finish"/>.</summary>
    public InferenceResult Result { get; }

    /// <summary>The outputs of the slot last finished (for the <c>raw</c> task).</summary>
    public IReadOnlyList<OrtTensor> Outputs => _last.Outputs;

    public IReadOnlyList<NodeInfo> OutputInfo => _session.Outputs;

    /// <summary>Preprocesses <paramref name="frame"/>, runs the model and postprocesses into <see cref="Result"/>.</summary>
    public InferenceResult Run(Frame frame, CancellationToken cancellationToken = default)
    {
        Prepare(frame, 0);
        Infer(0, cancellationToken);
        return Finish(0);
    }

    /// <summary>Preprocesses <paramref name="frame"/> into input <paramref name="slot"/>; the frame may be released after.</summary>
    public void Prepare(Frame frame, int slot)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var start = Stopwatch.GetTimestamp();
        var input = _slots[slot].Input;
        switch (input.ElementType)
        {
            case TensorElementType.UInt8:
                _preprocessor.Run(frame.Buffer, input.AsSpan<byte>());
                break;
            case TensorElementType.Int8:
                _preprocessor.Run(frame.Buffer, input.AsSpan<sbyte>());
                break;
            default:
                _preprocessor.Run(frame.Buffer, input.AsSpan<float>());
                break;
        }

        _prepared[slot] = new PreparedInput(frame.Index, frame.Timestamp, start, Stopwatch.GetTimestamp());
    }

    /// <summary>Runs the model on input <paramref name="slot"/> as <see cref="Prepare"/> left it; <see cref="Finish"/> makes its result.</summary>
    public void Infer(int slot, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        _slots[slot].Run(cancellationToken);
        _inferred[slot] = new InferenceSpan(start, Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// Postprocesses the outputs that <see cref="Infer"/> left in <paramref name="slot"/> into <see cref="Result"/>, on
    /// any thread, while the other slot is inferred; but one slot at a time, before the slot is prepared again.
    /// </summary>
    public InferenceResult Finish(int slot)
    {
        var bound = _slots[slot];
        var prepared = _prepared[slot];
        var inferred = _inferred[slot];
        var start = Stopwatch.GetTimestamp();
        _last = bound;

        var result = Result;
        result.TopCount = 0;
        result.SetDetections([], 0);
        if (_classifier is not null)
        {
            result.TopCount = _classifier.Run(bound.Outputs[0].AsSpan<float>(), result.TopBuffer);
        }
        else if (_detector is not null)
        {
            var second = _detector.OutputCount > 1 ? bound.Outputs[1].AsSpan<float>() : default;
            result.SetDetections(_detector.Run(bound.Outputs[0].AsSpan<float>(), bound.Outputs[0].Shape, second, _preprocessor.Mapping), _minScore);
        }

        result.FrameIndex = prepared.FrameIndex;
        result.Timestamp = prepared.Timestamp;
        result.SetTimings(prepared.Started, prepared.Done, inferred.Started, inferred.Done, start, Stopwatch.GetTimestamp());
        return result;
    }

    public void Dispose()
    {
        foreach (var slot in _slots)
        {
            slot.Dispose();
        }
    }

    /// <summary>What <see cref="Prepare"/> put in a slot: the frame's identity and when preprocessing started and ended.</summary>
    private readonly record struct PreparedInput(long FrameIndex, DateTimeOffset Timestamp, long Started, long Done);

    /// <summary>When <see cref="Infer"/> started and ended on a slot.</summary>
    private readonly record struct InferenceSpan(long Started, long Done);
}
