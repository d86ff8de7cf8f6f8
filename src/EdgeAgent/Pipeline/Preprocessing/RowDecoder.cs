using System.Numerics.Tensors;

namespace EdgeAgent.Pipeline.Preprocessing;

/// <summary>
/// Turns one row of a raw frame into floats: R, G, B per pixel (or one luma value for gray frames), for the whole
/// row or only the columns from <c>first</c> on that <c>destination</c> has room for.
/// </summary>
internal static class RowDecoder
{
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

    /// <summary>BT.601 limited range, the chroma of each 2x2 block shared by its four pixels.</summary>
    private static void DecodeYuv420p(FrameGeometry frame, ReadOnlySpan<byte> data, int row, Span<float> destination, int first)
    {
        var chromaWidth = (frame.Width + 1) / 2;
        var chromaHeight = (frame.Height + 1) / 2;
        var luma = data.Slice(row * frame.Width, frame.Width);
        var uPlane = frame.Width * frame.Height;
        var u = data.Slice(uPlane + ((row / 2) * chromaWidth), chromaWidth);
        var v = data.Slice(uPlane + (chromaWidth * chromaHeight) + ((row / 2) * chromaWidth), chromaWidth);
        var pixels = destination.Length / 3;
        for (var i = 0; i < pixels; i++)
        {
            var x = first + i;
            var y = 1.164f * (luma[x] - 16);
            var cb = u[x / 2] - 128f;
            var cr = v[x / 2] - 128f;
            destination[i * 3] = Math.Clamp(y + (1.596f * cr), 0f, 255f);
            destination[(i * 3) + 1] = Math.Clamp(y - (0.392f * cb) - (0.813f * cr), 0f, 255f);
            destination[(i * 3) + 2] = Math.Clamp(y + (2.017f * cb), 0f, 255f);
        }
    }
}
