using EdgeAgent.Testing;

namespace EdgeAgent.Onnx.Tests;

/// <summary>The int8 MobileNetV2 on the shared photos, preprocessed by the zoo's ImageNet recipe (SOURCES.md, section 1).</summary>
[Collection(OrtGroup.Name)]
public sealed class ClassifierTests(OrtFixture ort)
{
    private static readonly float[] s_mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] s_std = [0.229f, 0.224f, 0.225f];

    public static TheoryData<string, int[]> RobustPhotos => new()
    {
        { "coffee-espresso.png", [967] },
        { "goldfish.jpg", [1] },
        { "bald-eagle.jpg", [22] },
        { "dog-bicycle-car.jpg", [249] },
        { "cat-chelsea-tabby.png", [281, 282, 283, 284, 285] },
    };

    [Theory]
    [MemberData(nameof(RobustPhotos))]
    public void Top1_matches_SOURCES(string photo, int[] expected)
    {
        using var session = ort.Open(TestPaths.Shared("mobilenetv2-int8.onnx"));

        var logits = Logits(ort.Environment, session, Preprocess(TestPaths.Shared("images", photo)));

        Assert.Contains(Array.IndexOf(logits, logits.Max()), expected);
    }

    [Fact]
    public void Metadata_names_the_symbolic_batch_dimension()
    {
        using var session = ort.Open(TestPaths.Shared("mobilenetv2-int8.onnx"));

        var input = Assert.Single(session.Inputs);
        Assert.Equal("input", input.Name);
        Assert.Equal(TensorElementType.Float32, input.ElementType);
        Assert.Equal([-1, 3, 224, 224], input.Shape);
        Assert.Equal("batch_size", input.SymbolicShape[0]);
        Assert.Equal("batch_size x 3 x 224 x 224", input.ShapeText);
        var output = Assert.Single(session.Outputs);
        Assert.Equal("output", output.Name);
        Assert.Equal(1000, output.Shape[1]);
    }

    /// <summary>Shorter side to 256 (bilinear), centre 224x224 crop, /255, (x - mean) / std, NCHW in RGB order.</summary>
    internal static Memory<float> Preprocess(string photo)
    {
        var rgb = Ffmpeg.DecodeImage(photo, "scale=w='if(gt(iw,ih),-1,256)':h='if(gt(iw,ih),256,-1)':flags=bilinear,crop=224:224", "rgb24");
        Assert.Equal(224 * 224 * 3, rgb.Length);
        var tensor = new float[3 * 224 * 224];
        for (var pixel = 0; pixel < 224 * 224; pixel++)
        {
            for (var channel = 0; channel < 3; channel++)
            {
                tensor[(channel * 224 * 224) + pixel] = ((rgb[(pixel * 3) + channel] / 255f) - s_mean[channel]) / s_std[channel];
            }
        }

        return tensor;
    }

    /// <summary>The classifier's 1000 logits for one preprocessed image, through a binding over caller-owned buffers.</summary>
    internal static float[] Logits(OrtEnvironment environment, InferenceSession session, Memory<float> image)
    {
        var output = new float[1000];
        using var input = OrtTensor.Create(environment, image, [1, 3, 224, 224]);
        using var outputTensor = OrtTensor.Create(environment, output.AsMemory(), [1, 1000]);
        using var binding = session.CreateBinding();
        binding.BindInput("input", input);
        binding.BindOutput("output", outputTensor);
        binding.Run();
        return output;
    }
}
