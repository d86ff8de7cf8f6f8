using System.Diagnostics;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Protocol;

namespace EdgeAgent.Updates;

/// <summary>A model that passed validation, with its session (owned by the caller from here) and its warm latency.</summary>
internal sealed record ValidatedModel(ModelPackage Package, InferenceSession Session, double LatencyMs, double BaselineMs);

/// <summary>
/// Steps 3 and 4 of CONTRACT.md section 7: the unpacked model loads on the configured providers, its input agrees
/// with the descriptor, every validation sample gives the expected output within tolerance, outputs are finite, and
/// its warm latency is within <c>max_latency_ms</c> and within the latency factor of the active model's, both
/// measured the same way in alternation.
/// </summary>
internal sealed class ModelValidator(OrtEnvironment environment, InferenceSessionOptions sessionOptions, double maxLatencyFactor)
{
    private const int WarmupRuns = 3;
    private const int TimedRuns = 15;

    /// <exception cref="UpdateRejectedException">A check failed; the message says which and by how much.</exception>
    public ValidatedModel Validate(ModelPackage package, InferenceSession? active, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        InferenceSession session;
        try
        {
            session = environment.CreateSession(package.ModelPath, sessionOptions);
        }
        catch (OrtException ex)
        {
            throw new UpdateRejectedException($"model.onnx does not load: {ex.Message}", ex);
        }

        try
        {
            var latency = Check(package, session, active, cancellationToken);
            return new ValidatedModel(package, session, latency.Model, latency.Baseline);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private (double Model, double Baseline) Check(ModelPackage package, InferenceSession session, InferenceSession? active, CancellationToken cancellationToken)
    {
        var descriptor = package.Descriptor;
        if (ModelInputCheck.Problem(descriptor.Input, session.Inputs) is { } mismatch)
        {
            throw new UpdateRejectedException(mismatch);
        }

        if (session.Inputs.Count != 1)
        {
            throw new UpdateRejectedException($"the model has {session.Inputs.Count} inputs; a model here takes one (an image or a sensor window)");
        }

        var input = session.Inputs[0];
        var shape = ModelInputCheck.TensorShape(descriptor.Input);
        var elements = shape.Aggregate(1L, (a, b) => a * b);
        var samples = descriptor.Validation?.Samples ?? [];
        byte[]? firstInput = null;
        foreach (var sample in samples)
        {
            var data = TensorFile.Read(Path.Combine(package.Directory, sample.InputFile), input.ElementType, elements);
            firstInput ??= data;
            var output = RunOnce(session, input, data, shape, cancellationToken);
            Expect(package, sample, output);
        }

        firstInput ??= new byte[elements * input.ElementType.SizeOf()];
        if (samples.Count == 0)
        {
            RunOnce(session, input, firstInput, shape, cancellationToken);
        }

        var (latency, baseline) = MeasureLatency(session, active, firstInput, shape, cancellationToken);
        if (descriptor.Validation?.MaxLatencyMs is { } limit && latency > limit)
        {
            throw new UpdateRejectedException($"too slow: warm latency {latency:F2} ms is over max_latency_ms {limit} ms");
        }

        if (baseline > 0 && latency > baseline * maxLatencyFactor)
        {
            throw new UpdateRejectedException($"too slow: warm latency {latency:F2} ms is over {maxLatencyFactor} x the active model's {baseline:F2} ms (Models:Probation:MaxLatencyFactor)");
        }

        return (latency, baseline);
    }

    private static void Expect(ModelPackage package, ValidationSample sample, float[] output)
    {
        if (sample.ExpectTop1 is { } top1)
        {
            var best = 0;
            for (var i = 1; i < output.Length; i++)
            {
                best = output[i] > output[best] ? i : best;
            }

            if (best != top1)
            {
                throw new UpdateRejectedException($"validation sample '{sample.InputFile}': top-1 is class {best}, expected {top1}");
            }
        }

        if (sample.ExpectMaxAbsDiff is { } expected)
        {
            var reference = TensorFile.AsFloats(TensorFile.Read(Path.Combine(package.Directory, expected.OutputFile), TensorElementType.Float32, output.Length), TensorElementType.Float32);
            var worst = 0.0;
            for (var i = 0; i < output.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(output[i] - reference[i]));
            }

            if (worst > expected.Tolerance)
            {
                throw new UpdateRejectedException($"validation sample '{sample.InputFile}': outputs differ from '{expected.OutputFile}' by up to {worst:G4}, over the tolerance {expected.Tolerance}");
            }
        }
    }

    /// <summary>The first output as floats, after every float output was checked finite.</summary>
    private float[] RunOnce(InferenceSession session, NodeInfo input, byte[] data, long[] shape, CancellationToken cancellationToken)
    {
        using var tensor = CreateTensor(input.ElementType, data, shape);
        var outputs = session.Run(new Dictionary<string, OrtTensor> { [input.Name] = tensor }, cancellationToken: cancellationToken);
        try
        {
            for (var i = 0; i < outputs.Count; i++)
            {
                if (outputs[i].ElementType == TensorElementType.Float32 && !AllFinite(outputs[i].AsSpan<float>()))
                {
                    throw new UpdateRejectedException($"output '{session.Outputs[i].Name}' holds NaN or infinity");
                }
            }

            var first = outputs[0];
            return first.ElementType switch
            {
                TensorElementType.Float32 => first.AsSpan<float>().ToArray(),
                TensorElementType.UInt8 => [.. first.AsSpan<byte>().ToArray().Select(b => (float)b)],
                TensorElementType.Int8 => [.. first.AsSpan<sbyte>().ToArray().Select(b => (float)b)],
                _ => throw new UpdateRejectedException($"output '{session.Outputs[0].Name}' is {first.ElementType.ToName()}; float32, uint8 or int8 is needed"),
            };
        }
        finally
        {
            foreach (var output in outputs)
            {
                output.Dispose();
            }
        }
    }

    private (double Model, double Baseline) MeasureLatency(InferenceSession session, InferenceSession? active, byte[] data, long[] shape, CancellationToken cancellationToken)
    {
        var input = session.Inputs[0];
        using var tensor = CreateTensor(input.ElementType, data, shape);
        var activeInput = active?.Inputs[0];
        using var activeTensor = activeInput is null ? null : CreateTensor(activeInput.ElementType, new byte[activeInput.Shape.Skip(1).Aggregate(1L, (a, b) => a * Math.Max(b, 1)) * activeInput.ElementType.SizeOf()], [1, .. activeInput.Shape.Skip(1).Select(d => Math.Max(d, 1))]);
        var times = new double[TimedRuns];
        var baselines = new double[TimedRuns];
        for (var i = 0; i < WarmupRuns + TimedRuns; i++)
        {
            var model = Time(session, input.Name, tensor, cancellationToken);
            var baseline = activeTensor is null ? 0 : Time(active!, activeInput!.Name, activeTensor, cancellationToken);
            if (i >= WarmupRuns)
            {
                times[i - WarmupRuns] = model;
                baselines[i - WarmupRuns] = baseline;
            }
        }

        Array.Sort(times);
        Array.Sort(baselines);
        return (times[TimedRuns / 2], baselines[TimedRuns / 2]);
    }

    private static double Time(InferenceSession session, string input, OrtTensor tensor, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        foreach (var output in session.Run(new Dictionary<string, OrtTensor> { [input] = tensor }, cancellationToken: cancellationToken))
        {
            output.Dispose();
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private OrtTensor CreateTensor(TensorElementType type, byte[] data, long[] shape) => type switch
    {
        TensorElementType.Float32 => OrtTensor.Create(environment, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data).ToArray().AsMemory(), shape),
        TensorElementType.UInt8 => OrtTensor.Create(environment, data.AsMemory(), shape),
        TensorElementType.Int8 => OrtTensor.Create(environment, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(data).ToArray().AsMemory(), shape),
        _ => throw new UpdateRejectedException($"the model takes {type.ToName()} input; float32, uint8 or int8 is needed"),
    };

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
