using EdgeAgent.Onnx;
using EdgeAgent.Pipeline.Preprocessing;
using EdgeAgent.Protocol;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Pipeline;

/// <summary>The agent's own preprocessing: exact values on small frames, and the real models' answers on real photos.</summary>
[Collection(OrtEnvironmentGroup.Name)]
public sealed class ImagePreprocessorTests(OrtEnvironmentFixture ort)
{
    private static readonly InputDescriptor s_mobilenet = new()
    {
        Name = "input", Width = 224, Height = 224, Layout = "NCHW", Color = "rgb", Dtype = "float32",
        Scale = 1 / 255f, Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f], Resize = "crop", CropFrom = 256,
    };

    private static readonly InputDescriptor s_yolox = new()
    {
        Name = "images", Width = 416, Height = 416, Layout = "NCHW", Color = "bgr", Dtype = "float32",
        Resize = "letterbox", PadValue = 114, PadAnchor = "top_left",
    };

    public static TheoryData<string, int[], string> Photos => new()
    {
        { "coffee-espresso.png", [967], "rgb24" },
        { "goldfish.jpg", [1], "bgr24" },
        { "bald-eagle.jpg", [22], "yuv420p" },
        { "dog-bicycle-car.jpg", [248, 249, 250], "rgb24" },
        { "cat-chelsea-tabby.png", [281, 282, 283, 284, 285], "bgr24" },
    };

    [Theory]
    [MemberData(nameof(Photos))]
    public void Classifier_top1_through_the_agent_preprocessing(string photo, int[] expected, string pixelFormat)
    {
        var path = TestPaths.Shared("images", photo);
        var (width, height) = Ffmpeg.ImageSize(path);
        var frame = new FrameGeometry(width & ~1, height & ~1, FrameGeometry.ParseFormat(pixelFormat));
        var raw = Ffmpeg.DecodeImage(path, $"scale={frame.Width}:{frame.Height}", pixelFormat);
        var preprocessor = ImagePreprocessor.Create(s_mobilenet, frame);
        var tensor = new float[preprocessor.TensorElements];

        preprocessor.Run<float>(raw, tensor);

        using var session = ort.Environment.CreateSession(TestPaths.Shared("mobilenetv2-int8.onnx"));
        using var input = OrtTensor.Create(ort.Environment, tensor.AsMemory(), [1, 3, 224, 224]);
        using var output = Assert.Single(session.Run(new Dictionary<string, OrtTensor> { ["input"] = input }));
        var logits = output.AsSpan<float>().ToArray();
        Assert.Contains(Array.IndexOf(logits, logits.Max()), expected);
    }

    [Theory]
    [InlineData("rgb24", "crop", "float32", 640, 480)]
    [InlineData("bgr24", "stretch", "float32", 640, 480)]
    [InlineData("yuv420p", "crop", "float32", 640, 480)]
    [InlineData("gray8", "stretch", "float32", 640, 480)]
    [InlineData("rgb24", "letterbox", "float32", 640, 480)]
    [InlineData("bgr24", "letterbox", "float32", 480, 640)]
    [InlineData("yuv420p", "letterbox", "uint8", 480, 640)]
    [InlineData("rgb24", "crop", "uint8", 640, 480)]
    [InlineData("bgr24", "stretch", "int8", 1280, 720)]
    public void Planar_rows_equal_the_per_pixel_path_bit_for_bit(string pixelFormat, string resize, string dtype, int width, int height)
    {
        // NHWC goes pixel by pixel; NCHW takes the row-wise vector path. Same arithmetic, same order: same bits.
        var path = TestPaths.Shared("images", "bald-eagle.jpg");
        var frame = new FrameGeometry(width, height, FrameGeometry.ParseFormat(pixelFormat));
        var raw = Ffmpeg.DecodeImage(path, $"scale={width}:{height}", pixelFormat);
        var planarInput = dtype == "float32"
            ? s_mobilenet with { Resize = resize, PadValue = 114 }
            : s_mobilenet with { Resize = resize, Dtype = dtype, Scale = 1, Mean = dtype == "int8" ? [128f, 128f, 128f] : null, Std = null, PadValue = 114 };

        var (planarBits, packedBits) = dtype switch
        {
            "float32" => (Bits<float>(planarInput, frame, raw, v => BitConverter.SingleToInt32Bits(v)), Bits<float>(planarInput with { Layout = "NHWC" }, frame, raw, v => BitConverter.SingleToInt32Bits(v))),
            "uint8" => (Bits<byte>(planarInput, frame, raw, v => v), Bits<byte>(planarInput with { Layout = "NHWC" }, frame, raw, v => v)),
            _ => (Bits<sbyte>(planarInput, frame, raw, v => v), Bits<sbyte>(planarInput with { Layout = "NHWC" }, frame, raw, v => v)),
        };

        const int plane = 224 * 224;
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal(packedBits[(i * 3) + c], planarBits[(c * plane) + i]);
            }
        }
    }

    private static int[] Bits<T>(InputDescriptor input, FrameGeometry frame, byte[] raw, Func<T, int> bits)
        where T : unmanaged
    {
        var preprocessor = ImagePreprocessor.Create(input, frame);
        var tensor = new T[preprocessor.TensorElements];
        preprocessor.Run<T>(raw, tensor);
        return [.. tensor.Select(bits)];
    }

    [Theory]
    [InlineData("NCHW")]
    [InlineData("NHWC")]
    public void A_frame_never_reuses_rows_worked_out_for_the_frame_before(string layout)
    {
        // A two-row frame: every tensor row blends the same two source rows, the case a row cache kept across frames
        // would answer from the previous frame.
        var frame = new FrameGeometry(4, 2, PixelFormat.Gray8);
        var input = new InputDescriptor { Name = "x", Width = 4, Height = 4, Layout = layout, Color = "gray", Dtype = "float32", Resize = "stretch" };
        var reused = ImagePreprocessor.Create(input, frame);
        var tensor = new float[reused.TensorElements];
        reused.Run<float>(new byte[8], tensor);

        byte[] second = [10, 20, 30, 40, 50, 60, 70, 80];
        reused.Run<float>(second, tensor);
        var fresh = new float[tensor.Length];
        ImagePreprocessor.Create(input, frame).Run<float>(second, fresh);

        Assert.Equal(fresh, tensor);
        Assert.NotEqual(0f, tensor.Max());
    }

    [Fact]
    public void Letterboxed_yolox_finds_the_dog_bicycle_and_car_and_maps_the_scale_back()
    {
        var path = TestPaths.Shared("images", "dog-bicycle-car.jpg");
        var frame = new FrameGeometry(768, 576, PixelFormat.Rgb24);
        var preprocessor = ImagePreprocessor.Create(s_yolox, frame);
        var tensor = new float[preprocessor.TensorElements];

        preprocessor.Run<float>(Ffmpeg.DecodeImage(path, "null", "rgb24"), tensor);

        Assert.Equal(416.0 / 768, preprocessor.Mapping.ScaleX, 3);
        Assert.Equal(0, preprocessor.Mapping.OffsetX);
        Assert.Equal(114f, tensor[(415 * 416) + 10]);
        using var session = ort.Environment.CreateSession(TestPaths.Shared("yolox-nano-fp32.onnx"));
        using var input = OrtTensor.Create(ort.Environment, tensor.AsMemory(), [1, 3, 416, 416]);
        using var output = Assert.Single(session.Run(new Dictionary<string, OrtTensor> { ["images"] = input }));
        var cells = output.AsSpan<float>();
        var labels = File.ReadAllLines(TestPaths.Shared("coco-labels.txt"));
        foreach (var (label, expected) in new[] { ("dog", 0.85), ("bicycle", 0.81), ("car", 0.79) })
        {
            var c = Array.IndexOf(labels, label);
            var best = 0.0;
            for (var cell = 0; cell < 3549; cell++)
            {
                best = Math.Max(best, cells[(cell * 85) + 4] * cells[(cell * 85) + 5 + c]);
            }

            Assert.InRange(best, expected - 0.06, expected + 0.06);
        }
    }

    [Fact]
    public void Same_size_stretch_copies_pixels_into_planes()
    {
        byte[] frame = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];
        var preprocessor = ImagePreprocessor.Create(new InputDescriptor { Width = 2, Height = 2 }, new FrameGeometry(2, 2, PixelFormat.Rgb24));
        var tensor = new float[12];

        preprocessor.Run<float>(frame, tensor);

        Assert.Equal([10f, 40, 70, 100, 20, 50, 80, 110, 30, 60, 90, 120], tensor);
    }

    [Fact]
    public void Nhwc_bgr_uint8_swaps_channels_in_place()
    {
        byte[] frame = [10, 20, 30, 40, 50, 60];
        var preprocessor = ImagePreprocessor.Create(new InputDescriptor { Width = 2, Height = 1, Layout = "NHWC", Color = "bgr", Dtype = "uint8" }, new FrameGeometry(2, 1, PixelFormat.Rgb24));
        var tensor = new byte[6];

        preprocessor.Run<byte>(frame, tensor);

        Assert.Equal([30, 20, 10, 60, 50, 40], tensor);
    }

    [Fact]
    public void Gray_model_takes_luma_and_int8_is_centred_by_the_mean()
    {
        byte[] frame = [255, 255, 255, 0, 0, 0];
        var input = new InputDescriptor { Width = 2, Height = 1, Color = "gray", Dtype = "int8", Mean = [128f], Std = [1f] };
        var preprocessor = ImagePreprocessor.Create(input, new FrameGeometry(2, 1, PixelFormat.Rgb24));
        var tensor = new sbyte[2];

        preprocessor.Run<sbyte>(frame, tensor);

        Assert.Equal([(sbyte)127, (sbyte)-128], tensor);
    }

    [Fact]
    public void Yuv420p_grey_decodes_to_equal_channels()
    {
        var frame = new byte[(4 * 2) + 2 + 2];
        frame.AsSpan(0, 8).Fill(126);
        frame.AsSpan(8).Fill(128);
        var preprocessor = ImagePreprocessor.Create(new InputDescriptor { Width = 4, Height = 2 }, new FrameGeometry(4, 2, PixelFormat.Yuv420p));
        var tensor = new float[24];

        preprocessor.Run<float>(frame, tensor);

        Assert.All(tensor, v => Assert.Equal(128f, v, 0.5f));
    }

    [Fact]
    public void Centred_letterbox_pads_both_sides_with_the_pad_value()
    {
        var frame = Enumerable.Repeat((byte)200, 4 * 2 * 3).ToArray();
        var input = new InputDescriptor { Width = 4, Height = 4, Resize = "letterbox", PadValue = 7 };
        var preprocessor = ImagePreprocessor.Create(input, new FrameGeometry(4, 2, PixelFormat.Rgb24));
        var tensor = new float[48];

        preprocessor.Run<float>(frame, tensor);

        Assert.Equal(1, preprocessor.Mapping.OffsetY);
        float[] expectedColumn = [7, 200, 200, 7];
        for (var y = 0; y < 4; y++)
        {
            Assert.Equal(expectedColumn[y], tensor[y * 4]);
        }

        Assert.Equal((0.5, 0.0), preprocessor.Mapping.ToFrameFraction(2, 1));
    }

    [Fact]
    public void A_steady_frame_allocates_nothing()
    {
        var frame = new FrameGeometry(640, 480, PixelFormat.Yuv420p);
        var raw = new byte[frame.ByteCount];
        var preprocessor = ImagePreprocessor.Create(s_mobilenet, frame);
        var tensor = new float[preprocessor.TensorElements];

        Assert.Equal(0, Allocations.PerWindow(() => preprocessor.Run<float>(raw, tensor), warmup: 40, repeats: 5));
    }

    [Theory]
    [InlineData("input.width is 0", 0, "NCHW", "rgb", "stretch")]
    [InlineData("input.layout is NC", 2, "NC", "rgb", "stretch")]
    [InlineData("input.color is cmyk; it must be rgb, bgr or gray", 2, "NCHW", "cmyk", "stretch")]
    [InlineData("input.resize is zoom", 2, "NCHW", "rgb", "zoom")]
    public void A_bad_descriptor_field_is_named_with_its_value_and_what_is_allowed(string expected, int width, string layout, string color, string resize)
    {
        var input = new InputDescriptor { Width = width, Height = 2, Layout = layout, Color = color, Resize = resize };

        var error = Assert.Throws<ArgumentException>(() => ImagePreprocessor.Create(input, new FrameGeometry(4, 4, PixelFormat.Rgb24)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mean_with_the_wrong_number_of_channels_is_refused()
    {
        var input = new InputDescriptor { Width = 2, Height = 2, Mean = [0.5f] };

        var error = Assert.Throws<ArgumentException>(() => ImagePreprocessor.Create(input, new FrameGeometry(4, 4, PixelFormat.Rgb24)));

        Assert.Contains("input.mean is [0.5]; it must be 3 values, one per channel", error.Message, StringComparison.Ordinal);
    }
}
