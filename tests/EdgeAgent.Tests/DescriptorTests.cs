using System.Text.Json;
using EdgeAgent.Protocol;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests;

/// <summary>model.json and label files as CONTRACT.md section 5 defines them.</summary>
public sealed class DescriptorTests
{
    [Fact]
    public void A_full_descriptor_reads_with_snake_case_names()
    {
        const string json = """
            {
              "name": "classifier", "version": 3, "task": "classification",
              "input": { "name": "input", "layout": "NCHW", "width": 224, "height": 224, "color": "rgb", "dtype": "float32",
                         "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "scale": 0.00392156862,
                         "resize": "crop", "crop_from": 256, "pad_value": 114, "pad_anchor": "top_left" },
              "labels_file": "labels.txt",
              "postprocess": { "softmax": true, "top_k": 3, "threshold": 0.4, "iou": 0.5, "format": "yolox" },
              "validation": { "samples": [ { "input_file": "a.bin", "expect_top1": 967 },
                                           { "input_file": "b.npy", "expect_max_abs_diff": { "output_file": "b.out.npy", "tolerance": 0.01 } } ],
                              "max_latency_ms": 50 }
            }
            """;

        var descriptor = JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.ModelDescriptor)!;

        Assert.Equal(3, descriptor.Version);
        Assert.Equal(256, descriptor.Input.CropFrom);
        Assert.Equal(114f, descriptor.Input.PadValue);
        Assert.Equal("top_left", descriptor.Input.PadAnchor);
        Assert.Equal("labels.txt", descriptor.LabelsFile);
        Assert.Equal(3, descriptor.Postprocess.TopK);
        Assert.Equal(967, descriptor.Validation!.Samples[0].ExpectTop1);
        Assert.Equal(0.01, descriptor.Validation.Samples[1].ExpectMaxAbsDiff!.Tolerance);
        Assert.Equal(50, descriptor.Validation.MaxLatencyMs);
    }

    [Fact]
    public void Omitted_fields_keep_their_documented_defaults()
    {
        var descriptor = JsonSerializer.Deserialize("""{"name":"x","task":"raw","input":{"width":4,"height":4}}""", ProtocolJsonContext.Default.ModelDescriptor)!;

        Assert.Equal("NCHW", descriptor.Input.Layout);
        Assert.Equal("rgb", descriptor.Input.Color);
        Assert.Equal("float32", descriptor.Input.Dtype);
        Assert.Equal("stretch", descriptor.Input.Resize);
        Assert.Equal("center", descriptor.Input.PadAnchor);
        Assert.Equal(1f, descriptor.Input.Scale);
        Assert.Equal(5, descriptor.Postprocess.TopK);
        Assert.Equal(0.45f, descriptor.Postprocess.Iou);
    }

    [Fact]
    public void A_descriptor_without_a_required_field_is_refused_naming_it()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"name":"x","input":{"width":1,"height":1}}""", ProtocolJsonContext.Default.ModelDescriptor));

        Assert.Contains("task", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("n01443537 goldfish, Carassius auratus", "goldfish")]
    [InlineData("n02123045 tabby, tabby cat", "tabby")]
    [InlineData("person", "person")]
    [InlineData("  traffic light  ", "traffic light")]
    [InlineData("no2 not a wordnet id, really", "no2 not a wordnet id")]
    public void Labels_drop_the_wordnet_id_and_synonyms(string line, string expected)
    {
        Assert.Equal(expected, Labels.Clean(line));
    }

    [Fact]
    public void The_imagenet_label_file_reads_as_1000_short_labels()
    {
        var labels = Labels.Parse(File.ReadLines(TestPaths.Shared("imagenet-labels.txt")));

        Assert.Equal(1000, labels.Count);
        Assert.Equal("goldfish", labels[1]);
        Assert.Equal("espresso", labels[967]);
    }
}
