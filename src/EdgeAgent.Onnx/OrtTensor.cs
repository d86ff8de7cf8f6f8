using System.Buffers;
using System.Runtime.InteropServices;
using EdgeAgent.Onnx.Handles;
using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx;

/// <summary>
/// A tensor ONNX Runtime can read or write: either over the caller's memory (no copy; the memory stays
/// pinned until the native value is released) or an output ONNX Runtime allocated.
/// </summary>
public sealed unsafe class OrtTensor : IDisposable
{
    private readonly long[] _shape;
    private volatile bool _disposed;

    private OrtTensor(OrtValueHandle handle, TensorElementType elementType, long[] shape, void* data, long elementCount)
    {
        Handle = handle;
        ElementType = elementType;
        _shape = shape;
        Data = data;
        ElementCount = elementCount;
    }

    public TensorElementType ElementType { get; }

    public IReadOnlyList<long> Shape => _shape;

    public long ElementCount { get; }

    internal OrtValueHandle Handle { get; }

    internal void* Data { get; }

    /// <summary>A tensor over <paramref name="data"/>, which is pinned for the tensor's life; nothing is copied.</summary>
    /// <exception cref="ArgumentException">The shape has a negative dimension or does not hold exactly <c>data.Length</c> elements.</exception>
    public static OrtTensor Create<T>(OrtEnvironment environment, Memory<T> data, ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(environment);
        var elementType = TensorElementTypes.Of<T>();
        var count = ElementsIn(shape);
        if (count != data.Length)
        {
            throw new ArgumentException($"shape [{string.Join(" x ", shape.ToArray())}] holds {count} elements but the buffer holds {data.Length}", nameof(shape));
        }

        var pin = data.Pin();
        try
        {
            return Wrap(environment, elementType, pin, pin.Pointer, (long)data.Length * sizeof(T), shape);
        }
        catch
        {
            pin.Dispose();
            throw;
        }
    }

    /// <summary>A tensor over native memory the caller keeps valid for the tensor's life.</summary>
    public static OrtTensor Create(OrtEnvironment environment, TensorElementType elementType, nint data, long byteLength, ReadOnlySpan<long> shape)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var elementSize = elementType.SizeOf();
        if (elementSize == 0)
        {
            throw new ArgumentException($"{elementType.ToName()} tensors cannot be created over raw memory", nameof(elementType));
        }

        var count = ElementsIn(shape);
        if (count * elementSize != byteLength)
        {
            throw new ArgumentException($"shape [{string.Join(" x ", shape.ToArray())}] of {elementType.ToName()} needs {count * elementSize} bytes but the buffer holds {byteLength}", nameof(byteLength));
        }

        return Wrap(environment, elementType, default, (void*)data, byteLength, shape);
    }

    /// <summary>The elements, read or written in place.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not this tensor's element type.</exception>
    public Span<T> AsSpan<T>()
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (TensorElementTypes.Of<T>() != ElementType)
        {
            ThrowTypeMismatch(typeof(T));
        }

        return new Span<T>(Data, checked((int)ElementCount));
    }

    /// <summary>Lets go of the tensor; a binding it is bound to keeps the native value (and the pin) until it lets go too.</summary>
    public void Dispose()
    {
        _disposed = true;
        Handle.Dispose();
    }

    /// <summary>Takes ownership of a value ONNX Runtime allocated (a run's output).</summary>
    internal static OrtTensor FromOwnedValue(OrtApiTable api, nint value)
    {
        var handle = new OrtValueHandle(api, value, default);
        try
        {
            nint info;
            OrtStatus.Check(api, api.GetTensorTypeAndShape(value, &info), "GetTensorTypeAndShape");
            using var infoHandle = new OrtTensorTypeAndShapeInfoHandle(api, info);
            var (elementType, shape, _) = InferenceSession.ReadTensorInfo(api, info);
            void* data;
            OrtStatus.Check(api, api.GetTensorMutableData(value, &data), "GetTensorMutableData");
            return new OrtTensor(handle, elementType, shape, data, ElementsIn(shape));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static OrtTensor Wrap(OrtEnvironment environment, TensorElementType elementType, MemoryHandle pin, void* data, long byteLength, ReadOnlySpan<long> shape)
    {
        var api = environment.Api;
        var dims = shape.ToArray();
        nint value;
        var memoryReferenced = false;
        environment.CpuMemory.DangerousAddRef(ref memoryReferenced);
        try
        {
            fixed (long* dimsPointer = dims)
            {
                OrtStatus.Check(
                    api,
                    api.CreateTensorWithDataAsOrtValue(environment.CpuMemory.DangerousGetHandle(), data, (nuint)byteLength, dimsPointer, (nuint)dims.Length, (int)elementType, &value),
                    "CreateTensorWithDataAsOrtValue");
            }
        }
        finally
        {
            if (memoryReferenced)
            {
                environment.CpuMemory.DangerousRelease();
            }
        }

        return new OrtTensor(new OrtValueHandle(api, value, pin), elementType, dims, data, ElementsIn(dims));
    }

    private static long ElementsIn(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"shape [{string.Join(" x ", shape.ToArray())}] has a negative dimension", nameof(shape));
            }

            count = checked(count * dimension);
        }

        return count;
    }

    private void ThrowTypeMismatch(Type requested) =>
        throw new InvalidOperationException($"the tensor holds {ElementType.ToName()} elements, not {requested.Name}");
}
