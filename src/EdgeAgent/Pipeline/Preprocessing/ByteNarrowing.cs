using System.Numerics;
using System.Runtime.InteropServices;

namespace EdgeAgent.Pipeline.Preprocessing;

/// <summary>
/// Float tensor values stored as uint8 or int8 the way the per-pixel path stores one: rounded to even and clamped
/// to the type's range; in hardware-sized vectors with a scalar tail.
/// </summary>
internal static class ByteNarrowing
{
    public static void ToBytes(ReadOnlySpan<float> values, Span<byte> destination)
    {
        destination = destination[..values.Length];
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var (low, high) = (new Vector<float>(0f), new Vector<float>(255f));
            ref var source = ref MemoryMarshal.GetReference(values);
            ref var target = ref MemoryMarshal.GetReference(destination);
            var n = (nuint)Vector<float>.Count;
            for (; i <= values.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                var at = (nuint)i;
                var first = Vector.Narrow(Rounded(Vector.LoadUnsafe(ref source, at), low, high), Rounded(Vector.LoadUnsafe(ref source, at + n), low, high));
                var second = Vector.Narrow(Rounded(Vector.LoadUnsafe(ref source, at + (2 * n)), low, high), Rounded(Vector.LoadUnsafe(ref source, at + (3 * n)), low, high));
                Vector.Narrow(Vector.AsVectorUInt16(first), Vector.AsVectorUInt16(second)).StoreUnsafe(ref target, at);
            }
        }

        for (; i < values.Length; i++)
        {
            destination[i] = (byte)Math.Clamp(MathF.Round(values[i]), 0f, 255f);
        }
    }

    public static void ToSBytes(ReadOnlySpan<float> values, Span<sbyte> destination)
    {
        destination = destination[..values.Length];
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var (low, high) = (new Vector<float>(-128f), new Vector<float>(127f));
            ref var source = ref MemoryMarshal.GetReference(values);
            ref var target = ref MemoryMarshal.GetReference(destination);
            var n = (nuint)Vector<float>.Count;
            for (; i <= values.Length - Vector<sbyte>.Count; i += Vector<sbyte>.Count)
            {
                var at = (nuint)i;
                var first = Vector.Narrow(Rounded(Vector.LoadUnsafe(ref source, at), low, high), Rounded(Vector.LoadUnsafe(ref source, at + n), low, high));
                var second = Vector.Narrow(Rounded(Vector.LoadUnsafe(ref source, at + (2 * n)), low, high), Rounded(Vector.LoadUnsafe(ref source, at + (3 * n)), low, high));
                Vector.Narrow(first, second).StoreUnsafe(ref target, at);
            }
        }

        for (; i < values.Length; i++)
        {
            destination[i] = (sbyte)Math.Clamp(MathF.Round(values[i]), -128f, 127f);
        }
    }

    /// <summary>Clamped first, then rounded: with integer bounds that is the same as rounding first.</summary>
    private static Vector<int> Rounded(Vector<float> values, Vector<float> low, Vector<float> high) =>
        Vector.ConvertToInt32(Vector.Round(Vector.Min(Vector.Max(values, low), high)));
}
