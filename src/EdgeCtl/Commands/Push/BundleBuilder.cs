using System.Text.Json;
using EdgeAgent.Protocol;

namespace EdgeCtl.Commands.Push;

/// <summary>A bundle ready to sign: its bytes and the descriptor it carries as <c>model.json</c>.</summary>
internal sealed record BuiltBundle(byte[] Bytes, ModelDescriptor Descriptor, IReadOnlyList<string> Files);

/// <summary>
/// Bundles model.onnx, model.json and every file the descriptor names (labels, validation inputs and outputs), read
/// relative to the descriptor. The bundled model.json is the descriptor with the name and version given on the
/// command line, so the bundle and the manifest say the same.
/// </summary>
internal static class BundleBuilder
{
    private const string ModelFile = "model.onnx";
    private const string DescriptorFile = "model.json";

    /// <exception cref="EdgeCtlException">A file is missing or the descriptor is wrong; the message names it (exit code 2).</exception>
    public static BuiltBundle Build(string modelPath, string? descriptorPath, string name, int version)
    {
        if (!File.Exists(modelPath))
        {
            throw EdgeCtlException.Usage($"the model {modelPath}: no such file");
        }

        descriptorPath ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, DescriptorFile);
        if (!File.Exists(descriptorPath))
        {
            throw EdgeCtlException.Usage($"--descriptor {descriptorPath}: no such file (a model.json beside the model is the default)");
        }

        ModelDescriptor descriptor;
        try
        {
            descriptor = JsonSerializer.Deserialize(File.ReadAllBytes(descriptorPath), ProtocolJsonContext.Default.ModelDescriptor)
                ?? throw new JsonException("the file holds null");
        }
        catch (JsonException ex)
        {
            throw EdgeCtlException.Usage($"--descriptor {descriptorPath} is not a model descriptor (CONTRACT.md section 5): {ex.Message}");
        }

        descriptor = descriptor with { Name = name };
        descriptor.Version = version;
        var directory = Path.GetDirectoryName(Path.GetFullPath(descriptorPath))!;
        var files = new List<BundleFile>
        {
            new(ModelFile, File.ReadAllBytes(modelPath)),
            new(DescriptorFile, JsonSerializer.SerializeToUtf8Bytes(descriptor, ProtocolJsonContext.Default.ModelDescriptor)),
        };
        foreach (var (field, named) in NamedFiles(descriptor))
        {
            if (files.Any(f => f.Name == named))
            {
                if (named is ModelFile or DescriptorFile)
                {
                    throw EdgeCtlException.Usage($"--descriptor {descriptorPath}: {field} '{named}' would replace the bundle's own {named}");
                }

                continue;
            }

            try
            {
                ModelBundle.CheckName(named);
            }
            catch (InvalidDataException ex)
            {
                throw EdgeCtlException.Usage($"--descriptor {descriptorPath}: {field}: {ex.Message}");
            }

            var path = Path.Combine(directory, named);
            if (!File.Exists(path))
            {
                throw EdgeCtlException.Usage($"--descriptor {descriptorPath}: {field} '{named}' is not there ({path})");
            }

            files.Add(new BundleFile(named, File.ReadAllBytes(path)));
        }

        return new BuiltBundle(ModelBundle.Write(files), descriptor, [.. files.Select(f => f.Name)]);
    }

    private static IEnumerable<(string Field, string Name)> NamedFiles(ModelDescriptor descriptor)
    {
        if (descriptor.LabelsFile is { } labels)
        {
            yield return ("labels_file", labels);
        }

        var samples = descriptor.Validation?.Samples ?? [];
        for (var i = 0; i < samples.Count; i++)
        {
            yield return ($"validation.samples[{i}].input_file", samples[i].InputFile);
            if (samples[i].ExpectMaxAbsDiff is { } expected)
            {
                yield return ($"validation.samples[{i}].expect_max_abs_diff.output_file", expected.OutputFile);
            }
        }
    }
}
