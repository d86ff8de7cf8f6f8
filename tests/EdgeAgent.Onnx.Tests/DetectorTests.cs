using EdgeAgent.Testing;

namespace EdgeAgent.Onnx.Tests;

/// <summary>The shared detectors' raw outputs on their sample photos (SOURCES.md, sections 2 and 3).</summary>
[Collection(OrtGroup.Name)]
public sealed class DetectorTests(OrtFixture ort)
{
    private const int YoloxSize = 416;
    private const int YoloxCells = 3549;

    public static TheoryData<string, string, double> YoloxTopScores => new()
    {
        { "dog-bicycle-car.jpg", "dog", 0.85 },
        { "dog-bicycle-car.jpg", "bicycle", 0.81 },
        { "dog-bicycle-car.jpg", "car", 0.79 },
        { "person-horse-dog.jpg", "person", 0.88 },
        { "person-horse-dog.jpg", "horse", 0.88 },
        { "bald-eagle.jpg", "bird", 0.94 },
        { "coffee-espresso.png", "cup", 0.90 },
    };

    [Theory]
    [MemberData(nameof(YoloxTopScores))]
    public void Yolox_top_score_per_class_matches_SOURCES(string photo, string label, double expected)
    {
        var scores = YoloxClassMaxima(photo);
        var labels = File.ReadAllLines(TestPaths.Shared("coco-labels.txt"));

        Assert.InRange(scores[Array.IndexOf(labels, label)], expected - 0.05, expected + 0.05);
    }

    [Fact]
    public void Yolox_declares_its_raw_head()
    {
        using var session = ort.Open(TestPaths.Shared("yolox-nano-fp32.onnx"));

        Assert.Equal("images", session.Inputs[0].Name);
        Assert.Equal([1, 3, YoloxSize, YoloxSize], session.Inputs[0].Shape);
        Assert.Equal("output", session.Outputs[0].Name);
        Assert.Equal([1, YoloxCells, 85], session.Outputs[0].Shape);
    }

    [Fact]
    public void Yolox_finds_nothing_above_threshold_on_the_goldfish()
    {
        Assert.True(YoloxClassMaxima("goldfish.jpg").Max() < 0.3);
    }

    [Fact]
    public void Ultraface_finds_the_astronaut_face_where_SOURCES_puts_it()
    {
        var (score, box) = UltrafaceBest("astronaut-face.png");

        Assert.True(score > 0.99, $"face score {score}");
        float[] expected = [179 / 512f, 63 / 512f, 269 / 512f, 173 / 512f];
        for (var i = 0; i < 4; i++)
        {
            Assert.InRange(box[i], expected[i] - 0.03, expected[i] + 0.03);
        }
    }

    [Theory]
    [InlineData("goldfish.jpg")]
    [InlineData("bald-eagle.jpg")]
    [InlineData("coffee-espresso.png")]
    [InlineData("dog-bicycle-car.jpg")]
    public void Ultraface_finds_no_face_where_there_is_none(string photo)
    {
        Assert.True(UltrafaceBest(photo).Score < 0.7);
    }

    [Fact]
    public void Ultraface_known_false_positive_on_the_cat_stays_documented()
    {
        // SOURCES.md: the tabby gives two "faces" (0.97, 0.71); a change here means the model or preprocessing moved.
        Assert.InRange(UltrafaceBest("cat-chelsea-tabby.png").Score, 0.9, 1.0);
    }

    /// <summary>Per class, the highest objectness x class probability over all 3549 cells.</summary>
    private double[] YoloxClassMaxima(string photo)
    {
        var path = TestPaths.Shared("images", photo);
        var (width, height) = Ffmpeg.ImageSize(path);
        var r = Math.Min((double)YoloxSize / width, (double)YoloxSize / height);
        var (w, h) = ((int)Math.Round(width * r), (int)Math.Round(height * r));
        var bgr = Ffmpeg.DecodeImage(path, $"scale={w}:{h}:flags=bilinear,pad={YoloxSize}:{YoloxSize}:0:0:color=0x727272", "bgr24");
        var input = new float[3 * YoloxSize * YoloxSize];
        for (var pixel = 0; pixel < YoloxSize * YoloxSize; pixel++)
        {
            for (var channel = 0; channel < 3; channel++)
            {
                input[(channel * YoloxSize * YoloxSize) + pixel] = bgr[(pixel * 3) + channel];
            }
        }

        using var session = ort.Open(TestPaths.Shared("yolox-nano-fp32.onnx"));
        using var tensor = OrtTensor.Create(ort.Environment, input.AsMemory(), [1, 3, YoloxSize, YoloxSize]);
        var outputs = session.Run(new Dictionary<string, OrtTensor> { ["images"] = tensor });
        using var output = Assert.Single(outputs);
        Assert.Equal([1, YoloxCells, 85], output.Shape);
        var cells = output.AsSpan<float>();
        var maxima = new double[80];
        for (var cell = 0; cell < YoloxCells; cell++)
        {
            var row = cells.Slice(cell * 85, 85);
            for (var c = 0; c < 80; c++)
            {
                maxima[c] = Math.Max(maxima[c], row[4] * row[5 + c]);
            }
        }

        return maxima;
    }

    /// <summary>The highest face score and its box (x1, y1, x2, y2 normalised).</summary>
    private (float Score, float[] Box) UltrafaceBest(string photo)
    {
        var rgb = Ffmpeg.DecodeImage(TestPaths.Shared("images", photo), "scale=320:240:flags=bilinear", "rgb24");
        var input = new float[3 * 240 * 320];
        for (var pixel = 0; pixel < 240 * 320; pixel++)
        {
            for (var channel = 0; channel < 3; channel++)
            {
                input[(channel * 240 * 320) + pixel] = (rgb[(pixel * 3) + channel] - 127f) / 128f;
            }
        }

        using var session = ort.Open(TestPaths.Shared("ultraface-rfb320-fp32.onnx"));
        Assert.Equal(["scores", "boxes"], session.Outputs.Select(o => o.Name));
        using var tensor = OrtTensor.Create(ort.Environment, input.AsMemory(), [1, 3, 240, 320]);
        var outputs = session.Run(new Dictionary<string, OrtTensor> { ["input"] = tensor });
        using var scores = outputs[0];
        using var boxes = outputs[1];
        Assert.Equal([1, 4420, 2], scores.Shape);
        Assert.Equal([1, 4420, 4], boxes.Shape);
        var best = 0;
        var faceScores = scores.AsSpan<float>();
        for (var i = 1; i < 4420; i++)
        {
            if (faceScores[(i * 2) + 1] > faceScores[(best * 2) + 1])
            {
                best = i;
            }
        }

        return (faceScores[(best * 2) + 1], boxes.AsSpan<float>().Slice(best * 4, 4).ToArray());
    }
}
