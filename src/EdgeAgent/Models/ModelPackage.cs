using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeAgent.Protocol;

namespace EdgeAgent.Models;

/// <summary>One version of a model on disk: <c>&lt;root&gt;/&lt;name&gt;/&lt;version&gt;/</c> with model.onnx, model.json and the files it names.</summary>
public sealed record ModelPackage(string Name, int Version, string Directory, ModelDescriptor Descriptor, IReadOnlyList<string> Labels, string Sha256)
{
    public string ModelPath => Path.Combine(Directory, "model.onnx");

    /// <summary>The highest version of <paramref name="name"/> under <paramref name="root"/> (versions are positive integers).</summary>
    /// <exception cref="InvalidDataException">There is none, or its model.json or labels cannot be read; the message says which file and why.</exception>
    public static ModelPackage FindHighest(string root, string name)
    {
        var modelRoot = Path.Combine(root, name);
        var versions = System.IO.Directory.Exists(modelRoot)
            ? System.IO.Directory.GetDirectories(modelRoot)
                .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : 0)
                .Where(v => v > 0)
                .ToArray()
            : [];
        if (versions.Length == 0)
        {
            throw new InvalidDataException($"model '{name}' has no version under {modelRoot} (expected {modelRoot}/<version>/model.onnx)");
        }

        return Open(name, versions.Max(), Path.Combine(modelRoot, versions.Max().ToString(CultureInfo.InvariantCulture)));
    }

    public static ModelPackage Open(string name, int version, string directory)
    {
        var modelPath = Path.Combine(directory, "model.onnx");
        var descriptorPath = Path.Combine(directory, "model.json");
        if (!File.Exists(modelPath))
        {
            throw new InvalidDataException($"{modelPath} does not exist");
        }

        if (!File.Exists(descriptorPath))
        {
            throw new InvalidDataException($"{descriptorPath} does not exist: every model needs its descriptor");
        }

        ModelDescriptor descriptor;
        try
        {
            descriptor = JsonSerializer.Deserialize(File.ReadAllBytes(descriptorPath), ProtocolJsonContext.Default.ModelDescriptor)
                ?? throw new InvalidDataException($"{descriptorPath} is empty");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{descriptorPath} is not a valid descriptor: {ex.Message}", ex);
        }

        IReadOnlyList<string> labels = descriptor.Labels ?? [];
        if (descriptor.LabelsFile is { } labelsFile)
        {
            var labelsPath = Path.Combine(directory, labelsFile);
            if (Path.GetFileName(labelsFile) != labelsFile || !File.Exists(labelsPath))
            {
                throw new InvalidDataException($"{descriptorPath}: labels_file '{labelsFile}' is not a file beside it");
            }

            labels = EdgeAgent.Protocol.Labels.Parse(File.ReadLines(labelsPath));
        }

        using var stream = File.OpenRead(modelPath);
        return new ModelPackage(name, version, directory, descriptor, labels, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }
}
