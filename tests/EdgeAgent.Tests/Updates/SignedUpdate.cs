using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EdgeAgent.Protocol;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Updates;

/// <summary>Update bundles, manifests and chunks as edgectl makes them, built from a model directory on disk.</summary>
internal static class SignedUpdate
{
    /// <summary>The project's tiny demo classifier (64x64, with validation samples): quick to load and validate.</summary>
    public static string DemoClassifier => Path.Combine(TestPaths.RepositoryRoot, "models", "demo-classifier", "1");

    /// <summary>The descriptor of the model in <paramref name="directory"/>, as a node to edit.</summary>
    public static JsonObject Descriptor(string directory) => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "model.json")))!;

    /// <summary>A bundle of every file in <paramref name="directory"/>, with <paramref name="descriptor"/> as model.json and <paramref name="replace"/> overriding files.</summary>
    public static byte[] Bundle(string directory, JsonObject descriptor, IReadOnlyDictionary<string, byte[]>? replace = null)
    {
        var files = new List<BundleFile> { new("model.json", System.Text.Encoding.UTF8.GetBytes(descriptor.ToJsonString())) };
        foreach (var path in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name != "model.json")
            {
                files.Add(new BundleFile(name, replace?.GetValueOrDefault(name) ?? File.ReadAllBytes(path)));
            }
        }

        return ModelBundle.Write(files);
    }

    /// <summary>A manifest for <paramref name="bundle"/>, signed by <paramref name="key"/> when one is given.</summary>
    public static JsonObject Manifest(string updateId, JsonObject target, JsonObject descriptor, byte[] bundle, int chunkSize, ECDsa? key)
    {
        var manifest = new JsonObject
        {
            ["update_id"] = updateId,
            ["target"] = target,
            ["model"] = descriptor.DeepClone(),
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bundle)),
            ["size"] = bundle.Length,
            ["chunk_size"] = chunkSize,
            ["chunk_count"] = (bundle.Length + chunkSize - 1) / chunkSize,
            ["created_at"] = "2026-12-01T10:00:00.000Z",
            ["key_id"] = key is null ? "none" : ManifestSigning.KeyId(key),
        };
        if (key is not null)
        {
            ManifestSigning.Sign(manifest, key);
        }

        return manifest;
    }

    public static IEnumerable<(int Index, byte[] Payload)> Chunks(byte[] bundle, int chunkSize)
    {
        for (var i = 0; i * chunkSize < bundle.Length; i++)
        {
            yield return (i, bundle.AsSpan(i * chunkSize, Math.Min(chunkSize, bundle.Length - (i * chunkSize))).ToArray());
        }
    }

    public static JsonObject Rollback(string model, JsonNode to, JsonObject target, DateTimeOffset issuedAt, ECDsa? key)
    {
        var command = new JsonObject
        {
            ["model"] = model,
            ["to"] = to,
            ["target"] = target,
            ["issued_at"] = issuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (key is not null)
        {
            ManifestSigning.Sign(command, key);
        }

        return command;
    }

    public static JsonObject Device(string id) => new() { ["device"] = id };

    public static JsonObject Group(string name) => new() { ["group"] = name };
}
