using EdgeAgent.Configuration;
using EdgeAgent.Onnx;
using EdgeAgent.Pipeline;

namespace EdgeAgent.Updates;

/// <summary>What probation concluded so far.</summary>
internal enum ProbationOutcome
{
    Running,
    Passed,
    Failed,
}

/// <summary>
/// Step 6 of CONTRACT.md section 7 for one activated version: counts its inferences and errors on every stream,
/// keeps recent inference times and notices the first output that is not finite. The pipelines record (cheaply, on
/// their own threads); the update loop asks for a <see cref="Verdict"/> once a second.
/// </summary>
internal sealed class ProbationWatch(ProbationOptions options, double baselineMs, DateTimeOffset started) : IInferenceWatch
{
    /// <summary>Inferences needed before error rate and latency are judged, so one slow first frame decides nothing.</summary>
    private const int JudgedAfter = 20;

    private readonly double[] _latencies = new double[256];
    private long _inferences;
    private long _errors;
    private string? _nonFinite;

    public DateTimeOffset Started => started;

    public long Inferences => Interlocked.Read(ref _inferences);

    public long Errors => Interlocked.Read(ref _errors);

    public void Inferred(IReadOnlyList<OrtTensor> outputs, IReadOnlyList<NodeInfo> outputInfo, InferenceResult result)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(outputInfo);
        ArgumentNullException.ThrowIfNull(result);
        var count = Interlocked.Increment(ref _inferences);
        _latencies[(count - 1) % _latencies.Length] = result.InferMs;
        if (Volatile.Read(ref _nonFinite) is not null)
        {
            return;
        }

        for (var i = 0; i < outputs.Count; i++)
        {
            if (outputs[i].ElementType == TensorElementType.Float32 && !AllFinite(outputs[i].AsSpan<float>()))
            {
                Interlocked.CompareExchange(ref _nonFinite, $"output '{outputInfo[i].Name}' held NaN or infinity on live {(result.IsWindow ? "window" : "frame")} {result.FrameIndex}", null);
                return;
            }
        }
    }

    public void Failed(string reason) => Interlocked.Increment(ref _errors);

    /// <summary>Whether probation passed, failed (with the reason) or goes on at <paramref name="now"/>.</summary>
    public (ProbationOutcome Outcome, string? Reason) Verdict(DateTimeOffset now)
    {
        if (Volatile.Read(ref _nonFinite) is { } nonFinite)
        {
            return (ProbationOutcome.Failed, nonFinite);
        }

        var inferences = Inferences;
        var errors = Errors;
        var runs = inferences + errors;
        if (runs >= JudgedAfter && (double)errors / runs > options.MaxErrorRate)
        {
            return (ProbationOutcome.Failed, $"{errors} of {runs} inferences failed, over Models:Probation:MaxErrorRate {options.MaxErrorRate}");
        }

        if (inferences >= JudgedAfter && baselineMs > 0)
        {
            var recent = _latencies.Take((int)Math.Min(inferences, _latencies.Length)).Order().ToArray();
            var median = recent[recent.Length / 2];
            if (median > baselineMs * options.MaxLatencyFactor)
            {
                return (ProbationOutcome.Failed, $"median inference time {median:F2} ms is over {options.MaxLatencyFactor} x the previous model's {baselineMs:F2} ms");
            }
        }

        var elapsed = now - started;
        if (elapsed >= TimeSpan.FromSeconds(options.Seconds) && inferences >= options.MinInferences)
        {
            return (ProbationOutcome.Passed, null);
        }

        if (elapsed >= TimeSpan.FromSeconds(options.MaxWaitSeconds))
        {
            return (ProbationOutcome.Failed, $"starved: only {inferences} of Models:Probation:MinInferences {options.MinInferences} inferences in Models:Probation:MaxWaitSeconds {options.MaxWaitSeconds} s");
        }

        return (ProbationOutcome.Running, null);
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }
}
