using EdgeAgent.Pipeline.Preprocessing;

namespace EdgeAgent.Tests.Pipeline;

/// <summary>
/// Decoding yuv420p rows, interleaved or in planes: eight pixels at a time, the odd first column and the tail one at a
/// time, the same bits everywhere.
/// </summary>
public sealed class RowDecoderTests
{
    [Theory]
    [InlineData(0, 37, false)] // the whole row of an odd width: four groups of eight and a tail
    [InlineData(1, 36, false)] // an odd first column, then eights from an even one
    [InlineData(2, 17, false)]
    [InlineData(5, 7, false)] // shorter than a group
    [InlineData(0, 37, true)]
    [InlineData(1, 36, true)]
    [InlineData(5, 7, true)]
    public void Yuv420p_rows_decode_to_bt601_limited_range_from_any_first_column_interleaved_or_in_planes(int first, int pixels, bool planes)
    {
        var frame = new FrameGeometry(37, 5, PixelFormat.Yuv420p);
        var data = new byte[frame.ByteCount];
        // Random bytes reach both clamps in every channel.
        new Random(7).NextBytes(data);
        var rgb = new float[pixels * 3];
        var chromaWidth = (frame.Width + 1) / 2;
        var chromaPlane = chromaWidth * ((frame.Height + 1) / 2);
        var lumaPlane = frame.Width * frame.Height;

        for (var row = 0; row < frame.Height; row++)
        {
            if (planes)
            {
                RowDecoder.DecodeYuv420pPlanes(frame, data, row, rgb, first);
            }
            else
            {
                RowDecoder.Decode(frame, data, row, rgb, first);
            }

            for (var i = 0; i < pixels; i++)
            {
                var x = first + i;
                var y = 1.164f * (data[(row * frame.Width) + x] - 16);
                var cb = data[lumaPlane + ((row / 2) * chromaWidth) + (x / 2)] - 128f;
                var cr = data[lumaPlane + chromaPlane + ((row / 2) * chromaWidth) + (x / 2)] - 128f;
                float[] expected =
                [
                    Math.Clamp(y + (1.596f * cr), 0f, 255f),
                    Math.Clamp(y - (0.392f * cb) - (0.813f * cr), 0f, 255f),
                    Math.Clamp(y + (2.017f * cb), 0f, 255f),
                ];
                for (var c = 0; c < 3; c++)
                {
                    var got = rgb[planes ? (c * pixels) + i : (i * 3) + c];
                    Assert.True(
                        BitConverter.SingleToInt32Bits(expected[c]) == BitConverter.SingleToInt32Bits(got),
                        $"row {row}, column {x}, channel {c}: {got}, expected {expected[c]}");
                }
            }
        }
    }
}
