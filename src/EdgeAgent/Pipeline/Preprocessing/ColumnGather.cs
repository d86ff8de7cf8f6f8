using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeAgent.Pipeline.Preprocessing;

/// <summary>
/// The horizontal half of a bilinear resize and the normalisation, for one channel of one tensor row: per output,
/// left + (right - left) x weight from a vertically blended row, then x gain + bias. With AVX2 eight outputs at a
/// time by gathering both neighbours; the scalar loop does the same arithmetic, so every output gets the same bits.
/// </summary>
internal static class ColumnGather
{
    /// <param name="row">The blended source row the indices point into.</param>
    /// <param name="left">Per output, the element of <paramref name="row"/> to start from; all in range.</param>
    /// <param name="right">Per output, the element to blend towards; all in range.</param>
    /// <param name="weight">Per output, the weight of <paramref name="right"/>.</param>
    public static void Run(ReadOnlySpan<float> row, ReadOnlySpan<int> left, ReadOnlySpan<int> right, ReadOnlySpan<float> weight, float gain, float bias, Span<float> destination)
    {
        var count = destination.Length;
        left = left[..count];
        right = right[..count];
        weight = weight[..count];
        var x = Avx2.IsSupported ? Gathered(row, left, right, weight, gain, bias, destination) : 0;
        for (; x < count; x++)
        {
            var l = row[left[x]];
            destination[x] = ((l + ((row[right[x]] - l) * weight[x])) * gain) + bias;
        }
    }

    /// <summary>The outputs in whole vectors of eight; returns how many it wrote.</summary>
    private static unsafe int Gathered(ReadOnlySpan<float> row, ReadOnlySpan<int> left, ReadOnlySpan<int> right, ReadOnlySpan<float> weight, float gain, float bias, Span<float> destination)
    {
        var g = Vector256.Create(gain);
        var b = Vector256.Create(bias);
        ref var leftStart = ref MemoryMarshal.GetReference(left);
        ref var rightStart = ref MemoryMarshal.GetReference(right);
        ref var weightStart = ref MemoryMarshal.GetReference(weight);
        ref var destinationStart = ref MemoryMarshal.GetReference(destination);
        var x = 0;
        fixed (float* source = row)
        {
            for (; x <= destination.Length - Vector256<float>.Count; x += Vector256<float>.Count)
            {
                var offset = (nuint)x;
                var l = Avx2.GatherVector256(source, Vector256.LoadUnsafe(ref leftStart, offset), 4);
                var r = Avx2.GatherVector256(source, Vector256.LoadUnsafe(ref rightStart, offset), 4);
                var h = l + ((r - l) * Vector256.LoadUnsafe(ref weightStart, offset));
                ((h * g) + b).StoreUnsafe(ref destinationStart, offset);
            }
        }

        return x;
    }
}
