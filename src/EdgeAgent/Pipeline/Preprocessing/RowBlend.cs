using System.Numerics;
using System.Runtime.InteropServices;

namespace EdgeAgent.Pipeline.Preprocessing;

/// <summary>
/// The vertical half of a bilinear resize: two source rows blended into one, upper + (lower - upper) x weight per
/// element, in hardware-sized vectors with a scalar tail that does the same arithmetic, so every element gets the
/// same bits either way.
/// </summary>
internal static class RowBlend
{
    /// <summary>Blends two rows of bytes (packed pixels, decoded as they are) into floats.</summary>
    public static void Bytes(ReadOnlySpan<byte> upper, ReadOnlySpan<byte> lower, float weight, Span<float> destination)
    {
        var length = destination.Length;
        upper = upper[..length];
        lower = lower[..length];
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<float>(weight);
            var quarter = (nuint)Vector<float>.Count;
            ref var up = ref MemoryMarshal.GetReference(upper);
            ref var low = ref MemoryMarshal.GetReference(lower);
            ref var target = ref MemoryMarshal.GetReference(destination);
            for (; i <= length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                var at = (nuint)i;
                Widen(Vector.LoadUnsafe(ref up, at), out var u0, out var u1, out var u2, out var u3);
                Widen(Vector.LoadUnsafe(ref low, at), out var l0, out var l1, out var l2, out var l3);
                (u0 + ((l0 - u0) * w)).StoreUnsafe(ref target, at);
                (u1 + ((l1 - u1) * w)).StoreUnsafe(ref target, at + quarter);
                (u2 + ((l2 - u2) * w)).StoreUnsafe(ref target, at + (2 * quarter));
                (u3 + ((l3 - u3) * w)).StoreUnsafe(ref target, at + (3 * quarter));
            }
        }

        for (; i < length; i++)
        {
            float u = upper[i];
            destination[i] = u + ((lower[i] - u) * weight);
        }
    }

    /// <summary>Blends two rows of decoded floats.</summary>
    public static void Floats(ReadOnlySpan<float> upper, ReadOnlySpan<float> lower, float weight, Span<float> destination)
    {
        var length = destination.Length;
        upper = upper[..length];
        lower = lower[..length];
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<float>(weight);
            ref var up = ref MemoryMarshal.GetReference(upper);
            ref var low = ref MemoryMarshal.GetReference(lower);
            ref var target = ref MemoryMarshal.GetReference(destination);
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var at = (nuint)i;
                var u = Vector.LoadUnsafe(ref up, at);
                (u + ((Vector.LoadUnsafe(ref low, at) - u) * w)).StoreUnsafe(ref target, at);
            }
        }

        for (; i < length; i++)
        {
            var u = upper[i];
            destination[i] = u + ((lower[i] - u) * weight);
        }
    }

    private static void Widen(Vector<byte> bytes, out Vector<float> first, out Vector<float> second, out Vector<float> third, out Vector<float> fourth)
    {
        Vector.Widen(bytes, out var low, out var high);
        Vector.Widen(low, out var a, out var b);
        Vector.Widen(high, out var c, out var d);
        first = Vector.ConvertToSingle(Vector.AsVectorInt32(a));
        second = Vector.ConvertToSingle(Vector.AsVectorInt32(b));
        third = Vector.ConvertToSingle(Vector.AsVectorInt32(c));
        fourth = Vector.ConvertToSingle(Vector.AsVectorInt32(d));
    }
}
