using System.Text.Json;
using EdgeAgent.Onnx;
using EdgeAgent.Pipeline.Preprocessing;
using EdgeAgent.Protocol;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests;

/// <summary>
/// The bundled demo classifier (models/make_demo_classifier.py) in ONNX Runtime: its validation samples, and frames of
/// each ffmpeg test pattern through the agent's own preprocessing, alone and from the demo camera's cycling graph.
/// </summary>
[Collection(OrtEnvironmentGroup.Name)]
public sealed class DemoModelTests(OrtEnvironmentFixture ort)
{
    private const int FrameWidth = 640;
    private const int FrameHeight = 480;

    /// <summary>Each label and a lavfi source that renders that pattern at 640x480, as the script trains on them.</summary>
    public static TheoryData<string, string> Patterns => new()
    {
        { "testsrc pattern", "testsrc=size=640x480:rate=10" },
        { "testsrc2 pattern", "testsrc2=size=640x480:rate=10" },
        { "smpte bars", "smptebars=size=640x480:rate=10" },
        { "pal bars", "pal100bars=size=640x480:rate=10" },
        { "rgb test pattern", "rgbtestsrc=size=640x480:rate=10" },
        { "yuv test pattern", "yuvtestsrc=size=640x480:rate=10" },
        { "mandelbrot", "mandelbrot=maxiter=256:size=640x480:rate=10" },
        { "color spectrum", "colorspectrum=size=640x480:rate=10" },
        { "color chart", "colorchart=rate=10,scale=640:480" },
        { "solid color", "color=c=dodgerblue:size=640x480:rate=10" },
    };

    public static TheoryData<string> Models => new() { "demo-classifier", "demo-classifier-fp32" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Validation_samples_give_their_expected_top1(string model)
    {
        var directory = ModelDirectory(model);
        var descriptor = ReadDescriptor(directory);
        var labels = ReadLabels(directory, descriptor);
        var validation = Assert.IsType<ValidationDescriptor>(descriptor.Validation);
        Assert.NotEmpty(validation.Samples);
        Assert.Equal(model, descriptor.Name);
        Assert.Equal(1, descriptor.Version);
        Assert.Equal("classification", descriptor.Task);
        Assert.Equal(3, descriptor.Postprocess.TopK);
        Assert.True(descriptor.Postprocess.Softmax);
        Assert.InRange(new FileInfo(Path.Combine(directory, "model.onnx")).Length, 1, 1 << 20);

        using var session = ort.Environment.CreateSession(Path.Combine(directory, "model.onnx"));
        var input = Assert.Single(session.Inputs);
        Assert.Equal(descriptor.Input.Name, input.Name);
        Assert.Equal(TensorElementType.Float32, input.ElementType);
        Assert.Equal([1L, 3, descriptor.Input.Height, descriptor.Input.Width], input.Shape);
        Assert.Equal([1L, labels.Count], Assert.Single(session.Outputs).Shape);
        foreach (var sample in validation.Samples)
        {
            Assert.Equal(sample.ExpectTop1, Top1(session, descriptor, ReadTensor(Path.Combine(directory, sample.InputFile), descriptor)));
        }
    }

    [Fact]
    public void Int8_and_fp32_models_share_input_and_labels_agree_on_the_samples_and_the_int8_one_is_smaller()
    {
        var int8 = ModelDirectory("demo-classifier");
        var fp32 = ModelDirectory("demo-classifier-fp32");
        var descriptor = ReadDescriptor(int8);
        Assert.Equal(ReadLabels(int8, descriptor), ReadLabels(fp32, ReadDescriptor(fp32)));
        Assert.Equal(
            JsonSerializer.Serialize(descriptor.Input, ProtocolJsonContext.Default.InputDescriptor),
            JsonSerializer.Serialize(ReadDescriptor(fp32).Input, ProtocolJsonContext.Default.InputDescriptor));
        Assert.True(
            new FileInfo(Path.Combine(int8, "model.onnx")).Length * 2 < new FileInfo(Path.Combine(fp32, "model.onnx")).Length,
            "the int8 model should be well under half the size of the fp32 one");

        using var int8Session = ort.Environment.CreateSession(Path.Combine(int8, "model.onnx"));
        using var fp32Session = ort.Environment.CreateSession(Path.Combine(fp32, "model.onnx"));
        foreach (var sample in Assert.IsType<ValidationDescriptor>(descriptor.Validation).Samples)
        {
            var tensor = ReadTensor(Path.Combine(int8, sample.InputFile), descriptor);
            Assert.Equal(Top1(fp32Session, descriptor, tensor), Top1(int8Session, descriptor, tensor));
        }
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public async Task A_640x480_frame_of_each_pattern_through_the_agent_preprocessing_is_classified_as_it(string label, string source)
    {
        var directory = ModelDirectory("demo-classifier");
        var descriptor = ReadDescriptor(directory);
        var labels = ReadLabels(directory, descriptor);
        var frame = await RenderAsync(source, FrameWidth, FrameHeight, "null", 1);

        using var session = ort.Environment.CreateSession(Path.Combine(directory, "model.onnx"));
        Assert.Equal(label, labels[Classify(session, descriptor, frame)]);
    }

    [Fact]
    public async Task The_demo_camera_graph_cycles_through_every_pattern_and_each_is_classified_as_it()
    {
        // models/demo-camera.lavfi: every pattern for 4 s at 10 fps, in label order; the middle frame of each slot.
        var graph = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "models", "demo-camera.lavfi")).Trim();
        var directory = ModelDirectory("demo-classifier");
        var descriptor = ReadDescriptor(directory);
        var labels = ReadLabels(directory, descriptor);
        var frames = await RenderAsync(graph, FrameWidth, FrameHeight, "select='eq(mod(n\\,40)\\,20)'", labels.Count);

        using var session = ort.Environment.CreateSession(Path.Combine(directory, "model.onnx"));
        var seen = new List<string>();
        var size = FrameWidth * FrameHeight * 3;
        for (var i = 0; i < labels.Count; i++)
        {
            seen.Add(labels[Classify(session, descriptor, frames.AsSpan(i * size, size))]);
        }

        Assert.Equal(labels, seen);
    }

    private static string ModelDirectory(string model) => Path.Combine(TestPaths.RepositoryRoot, "models", model, "1");

    private static ModelDescriptor ReadDescriptor(string directory) =>
        JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(directory, "model.json")), ProtocolJsonContext.Default.ModelDescriptor)
        ?? throw new InvalidDataException($"{directory}/model.json is null");

    /// <summary>A raw little-endian float32 tensor of the descriptor's input shape.</summary>
    private static float[] ReadTensor(string path, ModelDescriptor descriptor)
    {
        var bytes = File.ReadAllBytes(path);
        var tensor = new float[3 * descriptor.Input.Width * descriptor.Input.Height];
        Assert.Equal(tensor.Length * sizeof(float), bytes.Length);
        for (var i = 0; i < tensor.Length; i++)
        {
            tensor[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        return tensor;
    }

    private static IReadOnlyList<string> ReadLabels(string directory, ModelDescriptor descriptor)
    {
        var labels = Labels.Parse(File.ReadAllLines(Path.Combine(directory, Assert.IsType<string>(descriptor.LabelsFile))));
        Assert.Equal(10, labels.Count);
        Assert.Equal(labels.Count, labels.Distinct().Count());
        return labels;
    }

    private int Classify(InferenceSession session, ModelDescriptor descriptor, ReadOnlySpan<byte> frame)
    {
        var preprocessor = ImagePreprocessor.Create(descriptor.Input, new FrameGeometry(FrameWidth, FrameHeight, PixelFormat.Rgb24));
        var tensor = new float[preprocessor.TensorElements];
        preprocessor.Run<float>(frame, tensor);
        return Top1(session, descriptor, tensor);
    }

    private int Top1(InferenceSession session, ModelDescriptor descriptor, float[] tensor)
    {
        using var input = OrtTensor.Create(ort.Environment, tensor.AsMemory(), [1, 3, descriptor.Input.Height, descriptor.Input.Width]);
        var outputs = session.Run(new Dictionary<string, OrtTensor> { [descriptor.Input.Name!] = input });
        try
        {
            var logits = Assert.Single(outputs).AsSpan<float>().ToArray();
            return Array.IndexOf(logits, logits.Max());
        }
        finally
        {
            foreach (var output in outputs)
            {
                output.Dispose();
            }
        }
    }

    /// <summary><paramref name="count"/> rgb24 frames of a lavfi graph after <paramref name="filters"/>.</summary>
    private static async Task<byte[]> RenderAsync(string graph, int width, int height, string filters, int count)
    {
        var path = Path.Combine(Path.GetTempPath(), $"edge-agent-demo-{Guid.NewGuid():N}.rgb");
        try
        {
            var result = await ChildProcess.RunAsync(
                "ffmpeg",
                ["-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i", graph, "-vf", filters,
                 "-fps_mode", "passthrough", "-frames:v", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "-pix_fmt", "rgb24", "-f", "rawvideo", "-y", path],
                TimeSpan.FromMinutes(2));
            Assert.True(result.ExitCode == 0, $"ffmpeg failed ({result.ExitCode}): {result.StandardError}");
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.Equal(count * width * height * 3, bytes.Length);
            return bytes;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
