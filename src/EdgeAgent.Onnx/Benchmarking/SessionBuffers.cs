namespace EdgeAgent.Onnx.Benchmarking;

/// <summary>
/// Pinned input tensors filled with seeded synthetic data from a session's metadata, and output tensors sized by
/// one trial run, for benchmarks that run a model without real data.
/// </summary>
public sealed class SessionBuffers : IDisposable
{
    private SessionBuffers(IReadOnlyList<OrtTensor> inputs, IReadOnlyList<OrtTensor> outputs)
    {
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>One tensor per session input, in the session's order.</summary>
    public IReadOnlyList<OrtTensor> Inputs { get; }

    /// <summary>One tensor per session output, in the session's order.</summary>
    public IReadOnlyList<OrtTensor> Outputs { get; }

    /// <summary>
    /// Builds the buffers. A free dimension takes its size from <paramref name="shapes"/> (by input name), else 1.
    /// An input named in <paramref name="values"/> holds that value throughout (a sample rate, a flag) instead of noise.
    /// </summary>
    /// <exception cref="ArgumentException">An override names no input, or a shape disagrees with the model's fixed dimensions.</exception>
    public static SessionBuffers Create(InferenceSession session, IReadOnlyDictionary<string, long[]>? shapes = null, IReadOnlyDictionary<string, double>? values = null, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(session);
        shapes ??= new Dictionary<string, long[]>();
        values ??= new Dictionary<string, double>();
        foreach (var name in shapes.Keys.Concat(values.Keys))
        {
            session.InputIndex(name);
        }

        var random = new Random(seed);
        var inputs = new List<OrtTensor>();
        var outputs = new List<OrtTensor>();
        try
        {
            foreach (var input in session.Inputs)
            {
                var shape = shapes.TryGetValue(input.Name, out var given) ? given : [.. input.Shape.Select(d => d < 0 ? 1 : d)];
                var tensor = Synthetic(session.Environment, input, shape, random);
                inputs.Add(tensor);
                if (values.TryGetValue(input.Name, out var value))
                {
                    Fill(tensor, value);
                }
            }

            var byName = session.Inputs.Select((n, i) => (n.Name, Tensor: inputs[i])).ToDictionary(p => p.Name, p => p.Tensor);
            foreach (var trial in session.Run(byName))
            {
                using (trial)
                {
                    outputs.Add(Allocate(session.Environment, trial.ElementType, [.. trial.Shape]));
                }
            }

            return new SessionBuffers(inputs, outputs);
        }
        catch
        {
            inputs.ForEach(t => t.Dispose());
            outputs.ForEach(t => t.Dispose());
            throw;
        }
    }

    /// <summary>Binds every input and every output to <paramref name="binding"/>.</summary>
    public void BindTo(SessionBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        for (var i = 0; i < Inputs.Count; i++)
        {
            binding.BindInput(i, Inputs[i]);
        }

        for (var i = 0; i < Outputs.Count; i++)
        {
            binding.BindOutput(i, Outputs[i]);
        }
    }

    public void Dispose()
    {
        foreach (var tensor in Inputs.Concat(Outputs))
        {
            tensor.Dispose();
        }
    }

    private static OrtTensor Synthetic(OrtEnvironment environment, NodeInfo input, long[] shape, Random random)
    {
        if (!input.IsTensor)
        {
            throw new ArgumentException($"input '{input.Name}' is not a tensor; synthetic data covers tensors only");
        }

        var tensor = Allocate(environment, input.ElementType, shape);
        switch (input.ElementType)
        {
            case TensorElementType.Float32:
                foreach (ref var x in tensor.AsSpan<float>()) { x = random.NextSingle(); }
                break;
            case TensorElementType.Float16:
                foreach (ref var x in tensor.AsSpan<Half>()) { x = (Half)random.NextSingle(); }
                break;
            case TensorElementType.Float64:
                foreach (ref var x in tensor.AsSpan<double>()) { x = random.NextDouble(); }
                break;
            case TensorElementType.UInt8:
                random.NextBytes(tensor.AsSpan<byte>());
                break;
            case TensorElementType.Int8:
                foreach (ref var x in tensor.AsSpan<sbyte>()) { x = (sbyte)random.Next(-128, 128); }
                break;
            case TensorElementType.Int32:
                foreach (ref var x in tensor.AsSpan<int>()) { x = random.Next(0, 10); }
                break;
            case TensorElementType.Int64:
                foreach (ref var x in tensor.AsSpan<long>()) { x = random.Next(0, 10); }
                break;
            case TensorElementType.Bool:
                foreach (ref var x in tensor.AsSpan<bool>()) { x = random.Next(2) == 1; }
                break;
            default:
                break;
        }

        return tensor;
    }

    private static void Fill(OrtTensor tensor, double value)
    {
        switch (tensor.ElementType)
        {
            case TensorElementType.Float32: tensor.AsSpan<float>().Fill((float)value); break;
            case TensorElementType.Float16: tensor.AsSpan<Half>().Fill((Half)value); break;
            case TensorElementType.Float64: tensor.AsSpan<double>().Fill(value); break;
            case TensorElementType.UInt8: tensor.AsSpan<byte>().Fill((byte)value); break;
            case TensorElementType.Int8: tensor.AsSpan<sbyte>().Fill((sbyte)value); break;
            case TensorElementType.Int32: tensor.AsSpan<int>().Fill((int)value); break;
            case TensorElementType.Int64: tensor.AsSpan<long>().Fill((long)value); break;
            case TensorElementType.Bool: tensor.AsSpan<bool>().Fill(value != 0); break;
            default: throw new ArgumentException($"cannot fill a {tensor.ElementType.ToName()} input with a value");
        }
    }

    /// <summary>A zeroed tensor of <paramref name="elementType"/> over a new pinned array.</summary>
    public static OrtTensor Allocate(OrtEnvironment environment, TensorElementType elementType, long[] shape)
    {
        var count = checked((int)shape.Aggregate(1L, (a, d) => a * d));
        return elementType switch
        {
            TensorElementType.Float32 => OrtTensor.Create(environment, Pinned<float>(count), shape),
            TensorElementType.Float16 => OrtTensor.Create(environment, Pinned<Half>(count), shape),
            TensorElementType.Float64 => OrtTensor.Create(environment, Pinned<double>(count), shape),
            TensorElementType.UInt8 => OrtTensor.Create(environment, Pinned<byte>(count), shape),
            TensorElementType.Int8 => OrtTensor.Create(environment, Pinned<sbyte>(count), shape),
            TensorElementType.Int16 => OrtTensor.Create(environment, Pinned<short>(count), shape),
            TensorElementType.UInt16 => OrtTensor.Create(environment, Pinned<ushort>(count), shape),
            TensorElementType.Int32 => OrtTensor.Create(environment, Pinned<int>(count), shape),
            TensorElementType.UInt32 => OrtTensor.Create(environment, Pinned<uint>(count), shape),
            TensorElementType.Int64 => OrtTensor.Create(environment, Pinned<long>(count), shape),
            TensorElementType.UInt64 => OrtTensor.Create(environment, Pinned<ulong>(count), shape),
            TensorElementType.Bool => OrtTensor.Create(environment, Pinned<bool>(count), shape),
            _ => throw new ArgumentException($"{elementType.ToName()} tensors are not supported here", nameof(elementType)),
        };
    }

    private static Memory<T> Pinned<T>(int count)
        where T : unmanaged => GC.AllocateArray<T>(count, pinned: true);
}
