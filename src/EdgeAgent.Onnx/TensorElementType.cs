namespace EdgeAgent.Onnx;

/// <summary>ONNX's tensor element types, value for value (<c>ONNXTensorElementDataType</c>).</summary>
#pragma warning disable CA1720 // The members are named for the ONNX types they mirror.
public enum TensorElementType
{
    Undefined = 0,
    Float32 = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Float64 = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
}
#pragma warning restore CA1720

/// <summary>Names, sizes and the managed type of each element type.</summary>
public static class TensorElementTypes
{
    /// <summary>The element type of a tensor over <typeparamref name="T"/>: float, Half, byte, sbyte, short, ushort, int, uint, long, ulong, double or bool.</summary>
    public static TensorElementType Of<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float)) { return TensorElementType.Float32; }
        if (typeof(T) == typeof(Half)) { return TensorElementType.Float16; }
        if (typeof(T) == typeof(byte)) { return TensorElementType.UInt8; }
        if (typeof(T) == typeof(sbyte)) { return TensorElementType.Int8; }
        if (typeof(T) == typeof(int)) { return TensorElementType.Int32; }
        if (typeof(T) == typeof(long)) { return TensorElementType.Int64; }
        if (typeof(T) == typeof(bool)) { return TensorElementType.Bool; }
        if (typeof(T) == typeof(short)) { return TensorElementType.Int16; }
        if (typeof(T) == typeof(ushort)) { return TensorElementType.UInt16; }
        if (typeof(T) == typeof(uint)) { return TensorElementType.UInt32; }
        if (typeof(T) == typeof(ulong)) { return TensorElementType.UInt64; }
        if (typeof(T) == typeof(double)) { return TensorElementType.Float64; }
        throw new NotSupportedException($"{typeof(T).Name} is not a tensor element type");
    }

    /// <summary>Bytes per element; 0 for strings and undefined.</summary>
    public static int SizeOf(this TensorElementType type) => type switch
    {
        TensorElementType.Float32 or TensorElementType.Int32 or TensorElementType.UInt32 => 4,
        TensorElementType.UInt8 or TensorElementType.Int8 or TensorElementType.Bool => 1,
        TensorElementType.Float16 or TensorElementType.BFloat16 or TensorElementType.Int16 or TensorElementType.UInt16 => 2,
        TensorElementType.Int64 or TensorElementType.UInt64 or TensorElementType.Float64 or TensorElementType.Complex64 => 8,
        TensorElementType.Complex128 => 16,
        _ => 0,
    };

    /// <summary>The lower-case name used in descriptors and messages ("float32", "uint8", ...).</summary>
    public static string ToName(this TensorElementType type) => type switch
    {
        TensorElementType.Float32 => "float32",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Int8 => "int8",
        TensorElementType.UInt16 => "uint16",
        TensorElementType.Int16 => "int16",
        TensorElementType.Int32 => "int32",
        TensorElementType.Int64 => "int64",
        TensorElementType.String => "string",
        TensorElementType.Bool => "bool",
        TensorElementType.Float16 => "float16",
        TensorElementType.Float64 => "float64",
        TensorElementType.UInt32 => "uint32",
        TensorElementType.UInt64 => "uint64",
        TensorElementType.Complex64 => "complex64",
        TensorElementType.Complex128 => "complex128",
        TensorElementType.BFloat16 => "bfloat16",
        _ => "undefined",
    };
}
