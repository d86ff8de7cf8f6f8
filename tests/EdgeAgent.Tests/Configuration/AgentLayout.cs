using System.Text.Json.Nodes;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Configuration;

/// <summary>
/// A throwaway device layout under a temp directory: a configuration file, state and cache directories, and a bundled
/// classifier whose model.onnx links to the shared MobileNetV2 (never copied).
/// </summary>
internal sealed class AgentLayout : IDisposable
{
    public AgentLayout(int descriptorWidth = 224)
    {
        Root = Directory.CreateTempSubdirectory("edge-agent-layout-").FullName;
        var model = Directory.CreateDirectory(Path.Combine(Root, "models", "classifier", "3")).FullName;
        File.CreateSymbolicLink(Path.Combine(model, "model.onnx"), TestPaths.Shared("mobilenetv2-int8.onnx"));
        File.WriteAllText(Path.Combine(model, "labels.txt"), File.ReadAllText(TestPaths.Shared("imagenet-labels.txt")));
        File.WriteAllText(Path.Combine(model, "model.json"), $$"""
            { "name": "classifier", "version": 3, "task": "classification",
              "input": { "name": "input", "layout": "NCHW", "width": {{descriptorWidth}}, "height": 224, "color": "rgb", "dtype": "float32",
                         "scale": 0.00392156862745098, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
                         "resize": "crop", "crop_from": 256 },
              "labels_file": "labels.txt", "postprocess": { "softmax": true, "top_k": 3 } }
            """);
        Config = new JsonObject
        {
            ["Device"] = new JsonObject { ["Id"] = "pi-01", ["Groups"] = new JsonArray("kitchen") },
            ["Agent"] = new JsonObject { ["StateDirectory"] = Path.Combine(Root, "state"), ["CacheDirectory"] = Path.Combine(Root, "cache") },
            ["Inference"] = new JsonObject { ["Providers"] = new JsonArray("xnnpack", "cpu") },
            ["Models"] = new JsonObject { ["BundledPath"] = Path.Combine(Root, "models") },
            ["Streams"] = new JsonArray(new JsonObject
            {
                ["Name"] = "cam0",
                ["Model"] = "classifier",
                ["Source"] = new JsonObject { ["Type"] = "camera", ["Url"] = "testsrc", ["Width"] = 320, ["Height"] = 240, ["StallTimeoutSeconds"] = 20 },
            }),
        };
    }

    public string Root { get; }

    public JsonObject Config { get; }

    public string ConfigPath => Path.Combine(Root, "edge-agent.json");

    /// <summary>Writes <see cref="Config"/> and returns its path.</summary>
    public string Write()
    {
        File.WriteAllText(ConfigPath, Config.ToJsonString());
        return ConfigPath;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
