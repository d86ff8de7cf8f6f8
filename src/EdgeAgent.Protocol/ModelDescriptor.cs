using System.Text.Json.Serialization;

namespace EdgeAgent.Protocol;

/// <summary><c>model.json</c>: what a model is for and how frames become its input (CONTRACT.md section 5).</summary>
public sealed record ModelDescriptor
{
    public required string Name { get; init; }

    public int Version { get; set; }

    /// <summary><c>classification</c>, <c>detection</c>, <c>anomaly</c> or <c>raw</c>.</summary>
    public required string Task { get; init; }

    public required InputDescriptor Input { get; init; }

    public IReadOnlyList<string>? Labels { get; set; }

    /// <summary>A file beside model.json with one label per line.</summary>
    public string? LabelsFile { get; set; }

    public PostprocessDescriptor Postprocess { get; set; } = new();

    public ValidationDescriptor? Validation { get; set; }
}

/// <summary>The model input and how a frame is turned into it.</summary>
public sealed record InputDescriptor
{
    /// <summary>The graph input's name; the model's first input when absent.</summary>
    public string? Name { get; set; }

    /// <summary><c>NCHW</c>, <c>NHWC</c>, <c>NC</c> or <c>NTC</c>.</summary>
    public string Layout { get; set; } = "NCHW";

    public int Width { get; set; }

    public int Height { get; set; }

    /// <summary><c>rgb</c>, <c>bgr</c> or <c>gray</c>.</summary>
    public string Color { get; set; } = "rgb";

    /// <summary><c>float32</c>, <c>uint8</c> or <c>int8</c>.</summary>
    public string Dtype { get; set; } = "float32";

    /// <summary>Per channel, subtracted after <see cref="Scale"/>.</summary>
    public IReadOnlyList<float>? Mean { get; set; }

    /// <summary>Per channel, divided by after the mean is subtracted.</summary>
    public IReadOnlyList<float>? Std { get; set; }

    /// <summary>Multiplies each 0..255 pixel first (1/255 maps it to 0..1).</summary>
    public float Scale { get; set; } = 1f;

    /// <summary><c>stretch</c>, <c>letterbox</c> or <c>crop</c>.</summary>
    public string Resize { get; set; } = "stretch";

    /// <summary>For <c>crop</c>: the shorter side is resized to this first, then the centre is taken.</summary>
    public int? CropFrom { get; set; }

    /// <summary>For <c>letterbox</c>: the 0..255 value of the padding.</summary>
    public float PadValue { get; set; }

    /// <summary>For <c>letterbox</c>: <c>center</c> or <c>top_left</c>.</summary>
    public string PadAnchor { get; set; } = "center";

    /// <summary>For sensor windows (NC, NTC): the samples in a window.</summary>
    public int? Window { get; set; }

    /// <summary>For sensor windows (NC, NTC): the channels in a sample; <see cref="Mean"/> and <see cref="Std"/> hold one value each.</summary>
    public int? Channels { get; set; }
}

public sealed record PostprocessDescriptor
{
    public bool Softmax { get; set; }

    [JsonPropertyName("top_k")]
    public int TopK { get; set; } = 5;

    public float Threshold { get; set; } = 0.3f;

    public float Iou { get; set; } = 0.45f;

    /// <summary>For detection: <c>yolox</c>, <c>yolov8</c> or <c>ssd</c>.</summary>
    public string? Format { get; set; }

    /// <summary>For anomaly: <c>output</c> (the model's first output value is the score) or <c>reconstruction</c> (the mean squared error between the window and the model's output, an autoencoder).</summary>
    public string Score { get; set; } = "output";
}

public sealed record ValidationDescriptor
{
    public IReadOnlyList<ValidationSample> Samples { get; set; } = [];

    public double? MaxLatencyMs { get; set; }
}

public sealed record ValidationSample
{
    public required string InputFile { get; init; }

    public int? ExpectTop1 { get; set; }

    public ExpectedOutput? ExpectMaxAbsDiff { get; set; }
}

public sealed record ExpectedOutput
{
    public required string OutputFile { get; init; }

    public double Tolerance { get; set; }
}
