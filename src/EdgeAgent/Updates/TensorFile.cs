using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using EdgeAgent.Onnx;

namespace EdgeAgent.Updates;

/// <summary>
/// Validation inputs and expected outputs (CONTRACT.md section 5): raw little-endian tensors (<c>.bin</c>) or NumPy
/// <c>.npy</c> files (version 1 to 3, C order), checked for element type and count.
/// </summary>
internal static partial class TensorFile
{
    /// <summary>The tensor's bytes.</summary>
    /// <exception cref="UpdateRejectedException">The file is not a tensor of that type and count; the message says how.</exception>
    public static byte[] Read(string path, TensorElementType type, long elements)
    {
        var name = Path.GetFileName(path);
        var bytes = File.ReadAllBytes(path);
        var data = bytes.AsSpan();
        if (name.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            data = NpyData(name, bytes, type);
        }
        else if (!name.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
        {
            throw new UpdateRejectedException($"validation file '{name}' is neither .bin nor .npy");
        }

        var expected = elements * type.SizeOf();
        if (data.Length != expected)
        {
            throw new UpdateRejectedException($"validation file '{name}' holds {data.Length} bytes of data; {elements} {type.ToName()} elements take {expected}");
        }

        return data.ToArray();
    }

    /// <summary>The elements of <paramref name="data"/> as floats.</summary>
    public static float[] AsFloats(ReadOnlySpan<byte> data, TensorElementType type) => type switch
    {
        TensorElementType.Float32 => [.. System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data)],
        TensorElementType.UInt8 => [.. data.ToArray().Select(b => (float)b)],
        TensorElementType.Int8 => [.. data.ToArray().Select(b => (float)(sbyte)b)],
        _ => throw new UpdateRejectedException($"{type.ToName()} outputs cannot be compared; float32, uint8 and int8 can"),
    };

    private static Span<byte> NpyData(string name, byte[] bytes, TensorElementType type)
    {
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual("\x93NUMPY"u8))
        {
            throw new UpdateRejectedException($"validation file '{name}' is not a .npy file");
        }

        var major = bytes[6];
        var (headerLength, start) = major == 1
            ? (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)), 10)
            : ((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)), 12);
        if (start + headerLength > bytes.Length)
        {
            throw new UpdateRejectedException($"validation file '{name}' has a header longer than the file");
        }

        var header = Encoding.Latin1.GetString(bytes, start, headerLength);
        var descr = DescrPattern().Match(header);
        var expected = type switch
        {
            TensorElementType.Float32 => "<f4",
            TensorElementType.UInt8 => "|u1",
            TensorElementType.Int8 => "|i1",
            _ => type.ToName(),
        };
        if (!descr.Success || descr.Groups[1].Value != expected)
        {
            throw new UpdateRejectedException($"validation file '{name}' holds '{(descr.Success ? descr.Groups[1].Value : "?")}' elements; the model takes {expected}");
        }

        if (header.Contains("'fortran_order': True", StringComparison.Ordinal))
        {
            throw new UpdateRejectedException($"validation file '{name}' is in Fortran order; C order is needed");
        }

        return bytes.AsSpan(start + headerLength);
    }

    [GeneratedRegex(@"'descr':\s*'([<>|=][a-z][0-9]+)'", RegexOptions.CultureInvariant)]
    private static partial Regex DescrPattern();
}
