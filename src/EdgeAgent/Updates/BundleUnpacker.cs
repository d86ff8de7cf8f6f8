using System.Text.Json;
using EdgeAgent.Protocol;

namespace EdgeAgent.Updates;

/// <summary>
/// Step 3's first half: the verified bundle read with every entry checked (regular files only, safe relative names,
/// within Models:MaxBytes), its model.json agreeing with the manifest and every file it names present, then written
/// out beside the transfer with the offer as manifest.json.
/// </summary>
internal static class BundleUnpacker
{
    public const string ManifestFile = "manifest.json";

    /// <summary>The directory the bundle was unpacked into.</summary>
    /// <exception cref="InvalidDataException">The bundle is malformed or hostile, or disagrees with the manifest; the message says how.</exception>
    public static string Unpack(UpdateTransfer transfer, byte[] offer, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        IReadOnlyList<BundleFile> files;
        using (var bundle = transfer.OpenBundle())
        {
            files = ModelBundle.Read(bundle, maxBytes);
        }

        var manifest = transfer.Manifest;
        ModelDescriptor descriptor;
        try
        {
            descriptor = JsonSerializer.Deserialize(files.Single(f => f.Name == "model.json").Content, ProtocolJsonContext.Default.ModelDescriptor)
                ?? throw new JsonException("it is null");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the bundle's model.json is not a valid descriptor: {ex.Message}", ex);
        }

        if (descriptor.Name != manifest.Model.Name || descriptor.Version != manifest.Model.Version)
        {
            throw new InvalidDataException($"the bundle's model.json is {descriptor.Name} v{descriptor.Version} but the manifest offers {manifest.Model.Name} v{manifest.Model.Version}");
        }

        var names = files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var named in NamedFiles(descriptor))
        {
            if (!names.Contains(named))
            {
                throw new InvalidDataException($"model.json names '{named}', which the bundle does not hold");
            }
        }

        var directory = Path.Combine(transfer.Directory, "unpacked");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        ModelBundle.Extract(files, directory);
        File.WriteAllBytes(Path.Combine(directory, ManifestFile), offer);
        return directory;
    }

    private static IEnumerable<string> NamedFiles(ModelDescriptor descriptor)
    {
        if (descriptor.LabelsFile is { } labels)
        {
            yield return labels;
        }

        foreach (var sample in descriptor.Validation?.Samples ?? [])
        {
            yield return sample.InputFile;
            if (sample.ExpectMaxAbsDiff is { } expected)
            {
                yield return expected.OutputFile;
            }
        }
    }
}
