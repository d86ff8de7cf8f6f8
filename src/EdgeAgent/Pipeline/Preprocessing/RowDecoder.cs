using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeAgent.Pipeline.Preprocessing;

/// <summary>
/// Turns one row of a raw frame into floats: R, G, B per pixel (or one luma value for gray frames), for the whole
/// row or only the columns from <c>first</c> on that <c>destination</c> has room for.
/// </summary>
internal static class RowDecoder
{
    // BT.601 limited range.
    private const float LumaGain = 1.164f;
    private const float RedFromCr = 1.596f;
    private const float GreenFromCb = 0.392f;
    private const float GreenFromCr = 0.813f;
    private const float BlueFromCb = 2.017f;

    public static void Decode(FrameGeometry frame, ReadOnlySpan<byte> data, int row, Span<float> destination, int first = 0)
    {
        switch (frame.Format)
        {
            case PixelFormat.Rgb24:
            case PixelFormat.Bgr24:
                TensorPrimitives.ConvertChecked(data.Slice((row * frame.Width * 3) + (first * 3), destination.Length), destination);
                break;
            case PixelFormat.Gray8:
                TensorPrimitives.ConvertChecked(data.Slice((row * frame.Width) + first, destination.Length), destination);
                break;
            default:
                DecodeYuv420p(frame, data, row, destination, first);
                break;
        }
    }

    /// <summary>
    /// A yuv420p row into three planes of <c>destination.Length / 3</c> pixels each, red, green, blue, from column
    /// <paramref name="first"/> on: the values <see cref="Decode"/> gives, without interleaving them.
    /// </summary>
    public static void DecodeYuv420pPlanes(FrameGeometry frame, ReadOnlySpan<byte> data, int row, Span<float> destination, int first) =>
        DecodeYuv420p(frame, data, row, destination, first, planes: true);

    /// <summary>
    /// BT.601 limited range, the chroma of each 2x2 block shared by its four pixels: eight pixels at a time from an even
    /// column (where a chroma sample's pair starts), the odd first column and the tail one at a time, with the same
    /// arithmetic in the same order, so every pixel gets the same bits either way. Interleaved (R, G, B per pixel) or in
    /// <paramref name="planes"/>.
    /// </summary>
    private static void DecodeYuv420p(FrameGeometry frame, ReadOnlySpan<byte> data, int row, Span<float> destination, int first, bool planes = false)
    {
        var chromaWidth = (frame.Width + 1) / 2;
        var chromaHeight = (frame.Height + 1) / 2;
        var luma = data.Slice(row * frame.Width, frame.Width);
        var uPlane = frame.Width * frame.Height;
        var u = data.Slice(uPlane + ((row / 2) * chromaWidth), chromaWidth);
        var v = data.Slice(uPlane + (chromaWidth * chromaHeight) + ((row / 2) * chromaWidth), chromaWidth);
        var pixels = destination.Length / 3;
        // Between one pixel's values and the next's, and between a pixel's red, green and blue.
        var (pixelStep, channelStep) = planes ? (1, pixels) : (3, 1);
        var i = 0;
        if ((first & 1) == 1 && pixels > 0)
        {
            DecodePixel(luma, u, v, first, destination, channelStep);
            i = 1;
        }

        if (Vector128.IsHardwareAccelerated)
        {
            i = DecodeEights(luma, u, v, first, i, pixels, destination, planes);
        }

        for (; i < pixels; i++)
        {
            DecodePixel(luma, u, v, first + i, destination[(i * pixelStep)..], channelStep);
        }
    }

    private static void DecodePixel(ReadOnlySpan<byte> luma, ReadOnlySpan<byte> u, ReadOnlySpan<byte> v, int x, Span<float> rgb, int channelStep)
    {
        var y = LumaGain * (luma[x] - 16);
        var cb = u[x / 2] - 128f;
        var cr = v[x / 2] - 128f;
        rgb[0] = Math.Clamp(y + (RedFromCr * cr), 0f, 255f);
        rgb[channelStep] = Math.Clamp(y - (GreenFromCb * cb) - (GreenFromCr * cr), 0f, 255f);
        rgb[2 * channelStep] = Math.Clamp(y + (BlueFromCb * cb), 0f, 255f);
    }

    /// <summary>
    /// Pixels <paramref name="i"/> on (column <paramref name="first"/> + i even) in whole groups of eight; returns where
    /// it stopped.
    /// </summary>
    private static int DecodeEights(ReadOnlySpan<byte> luma, ReadOnlySpan<byte> u, ReadOnlySpan<byte> v, int first, int i, int pixels, Span<float> destination, bool planes)
    {
        ref var lumaStart = ref MemoryMarshal.GetReference(luma);
        ref var uStart = ref MemoryMarshal.GetReference(u);
        ref var vStart = ref MemoryMarshal.GetReference(v);
        ref var output = ref MemoryMarshal.GetReference(destination);
        // In range: luma x .. x+7 < first + pixels <= the row's width, chroma x/2 .. x/2+3 <= (x+6)/2 < its width.
        for (; i <= pixels - 8; i += 8)
        {
            var x = first + i;
            var y = Vector128.WidenLower(Load<ulong>(ref Unsafe.Add(ref lumaStart, x)));
            var cb = Floats(Vector128.WidenLower(Load<uint>(ref Unsafe.Add(ref uStart, x / 2)))) - Vector128.Create(128f);
            var cr = Floats(Vector128.WidenLower(Load<uint>(ref Unsafe.Add(ref vStart, x / 2)))) - Vector128.Create(128f);
            var lowPairs = Vector128.Create(0, 0, 1, 1);
            var low = DecodeFour(Floats(y), Vector128.Shuffle(cb, lowPairs), Vector128.Shuffle(cr, lowPairs));
            var highPairs = Vector128.Create(2, 2, 3, 3);
            var high = DecodeFour(Floats(Vector128.WidenUpper(y)), Vector128.Shuffle(cb, highPairs), Vector128.Shuffle(cr, highPairs));
            if (planes)
            {
                StorePlanes(low, ref output, (nuint)i, (nuint)pixels);
                StorePlanes(high, ref output, (nuint)i + 4, (nuint)pixels);
            }
            else
            {
                StoreInterleaved(low, ref Unsafe.Add(ref output, i * 3));
                StoreInterleaved(high, ref Unsafe.Add(ref output, (i * 3) + 12));
            }
        }

        return i;
    }

    /// <summary>The bytes of one <typeparamref name="T"/> read from <paramref name="source"/>, in the low lanes.</summary>
    private static Vector128<byte> Load<T>(ref byte source)
        where T : unmanaged => Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<T>(ref source)).AsByte();

    /// <summary>The low four lanes as floats.</summary>
    private static Vector128<float> Floats(Vector128<ushort> values) => Floats(Vector128.WidenLower(values));

    private static Vector128<float> Floats(Vector128<uint> values) => Vector128.ConvertToSingle(values.AsInt32());

    /// <summary>Four pixels' red, green and blue from their luma bytes and chroma terms.</summary>
    private static (Vector128<float> Red, Vector128<float> Green, Vector128<float> Blue) DecodeFour(Vector128<float> luma, Vector128<float> cb, Vector128<float> cr)
    {
        var y = Vector128.Create(LumaGain) * (luma - Vector128.Create(16f));
        return (
            Clamp(y + (Vector128.Create(RedFromCr) * cr)),
            Clamp(y - (Vector128.Create(GreenFromCb) * cb) - (Vector128.Create(GreenFromCr) * cr)),
            Clamp(y + (Vector128.Create(BlueFromCb) * cb)));
    }

    private static void StorePlanes((Vector128<float> Red, Vector128<float> Green, Vector128<float> Blue) four, ref float planes, nuint pixel, nuint plane)
    {
        four.Red.StoreUnsafe(ref planes, pixel);
        four.Green.StoreUnsafe(ref planes, plane + pixel);
        four.Blue.StoreUnsafe(ref planes, (2 * plane) + pixel);
    }

    /// <summary>As R, G, B, R, G, B, ... from <paramref name="rgb"/>.</summary>
    private static void StoreInterleaved((Vector128<float> Red, Vector128<float> Green, Vector128<float> Blue) four, ref float rgb)
    {
        var (red, green, blue) = four;
        // r0 g0 b0 r1 | g1 b1 r2 g2 | b2 r3 g3 b3
        Pick(red, green, blue, Vector128.Create(0, 0, 0, 1), Vector128.Create(-1, 0, 0, -1), Vector128.Create(0, -1, 0, 0)).StoreUnsafe(ref rgb);
        Pick(red, green, blue, Vector128.Create(1, 1, 2, 2), Vector128.Create(0, 0, -1, 0), Vector128.Create(-1, 0, 0, -1)).StoreUnsafe(ref rgb, 4);
        Pick(red, green, blue, Vector128.Create(2, 3, 3, 3), Vector128.Create(0, -1, 0, 0), Vector128.Create(0, 0, -1, 0)).StoreUnsafe(ref rgb, 8);
    }

    /// <summary>
    /// Per lane, pixel <paramref name="pixels"/>'s value of red where <paramref name="redLanes"/> is set, green where
    /// <paramref name="greenLanes"/> is, blue elsewhere. Inlined, so that the shuffles see constant indices.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Pick(Vector128<float> red, Vector128<float> green, Vector128<float> blue, Vector128<int> pixels, Vector128<int> redLanes, Vector128<int> greenLanes) =>
        Vector128.ConditionalSelect(
            redLanes.AsSingle(),
            Vector128.Shuffle(red, pixels),
            Vector128.ConditionalSelect(greenLanes.AsSingle(), Vector128.Shuffle(green, pixels), Vector128.Shuffle(blue, pixels)));

    private static Vector128<float> Clamp(Vector128<float> value) => Vector128.Min(Vector128.Max(value, Vector128<float>.Zero), Vector128.Create(255f));
}
