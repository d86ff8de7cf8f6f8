namespace EdgeAgent.Benchmarks.Pipeline;

/// <summary>
/// A model directory in a temp folder holding the shared MobileNetV2-int8 (linked, never copied) with the
/// descriptor README shows for it, so the pipeline runs a real 224x224 classifier as a user would set it up.
/// </summary>
internal sealed class ClassifierLayout : IDisposable
{
    public const string Name = "classifier";

    private const string Descriptor = """
        { "name": "classifier", "version": 1, "task": "classification",
          "input": { "name": "input", "layout": "NCHW", "width": 224, "height": 224, "color": "rgb", "dtype": "float32",
                     "scale": 0.00392156862745098, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
                     "resize": "crop", "crop_from": 256 },
          "labels_file": "labels.txt", "postprocess": { "softmax": true, "top_k": 3 } }
        """;

    public ClassifierLayout(string sharedModels)
    {
        Root = Directory.CreateTempSubdirectory("edge-agent-bench-").FullName;
        var directory = Directory.CreateDirectory(Path.Combine(Root, Name, "1")).FullName;
        File.CreateSymbolicLink(Path.Combine(directory, "model.onnx"), Path.GetFullPath(Path.Combine(sharedModels, "mobilenetv2-int8.onnx")));
        File.CreateSymbolicLink(Path.Combine(directory, "labels.txt"), Path.GetFullPath(Path.Combine(sharedModels, "imagenet-labels.txt")));
        File.WriteAllText(Path.Combine(directory, "model.json"), Descriptor);
    }

    /// <summary>The folder a <c>Models:BundledPath</c> would name.</summary>
    public string Root { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
