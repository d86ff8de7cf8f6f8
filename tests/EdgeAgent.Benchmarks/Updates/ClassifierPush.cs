using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeAgent.Benchmarks.Pipeline;
using EdgeAgent.Protocol;

namespace EdgeAgent.Benchmarks.Updates;

/// <summary>
/// The real classifier as edgectl push sends it (CONTRACT.md section 7), built with the protocol library both sides
/// use: a bundle of model.onnx, model.json and the labels, a signed offer, the chunks and <c>done</c>.
/// </summary>
internal sealed class ClassifierPush
{
    public const int ChunkSize = 64 * 1024;

    private ClassifierPush(string updateId, byte[] bundle, byte[] offer)
    {
        UpdateId = updateId;
        Bundle = bundle;
        Offer = offer;
    }

    public string UpdateId { get; }

    public byte[] Bundle { get; }

    public byte[] Offer { get; }

    public int ChunkCount => (Bundle.Length + ChunkSize - 1) / ChunkSize;

    public ReadOnlyMemory<byte> Chunk(int index) => Bundle.AsMemory(index * ChunkSize, Math.Min(ChunkSize, Bundle.Length - (index * ChunkSize)));

    public byte[] Done() => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"update_id":"{{UpdateId}}","chunk_count":{{ChunkCount}}}"""));

    /// <summary>Version <paramref name="version"/> of the classifier in <paramref name="layoutRoot"/>, for <paramref name="device"/>, signed by <paramref name="key"/>.</summary>
    public static ClassifierPush Create(string layoutRoot, int version, string device, ECDsa key)
    {
        var directory = Path.Combine(layoutRoot, ClassifierLayout.Name, "1");
        var descriptor = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(directory, "model.json")), ProtocolJsonContext.Default.ModelDescriptor)
            ?? throw new InvalidDataException($"{directory}/model.json holds null");
        descriptor.Version = version;
        var bundle = ModelBundle.Write(
        [
            new BundleFile("model.onnx", File.ReadAllBytes(Path.Combine(directory, "model.onnx"))),
            new BundleFile("model.json", JsonSerializer.SerializeToUtf8Bytes(descriptor, ProtocolJsonContext.Default.ModelDescriptor)),
            new BundleFile(descriptor.LabelsFile!, File.ReadAllBytes(Path.Combine(directory, descriptor.LabelsFile!))),
        ]);
        var now = DateTimeOffset.UtcNow;
        var manifest = new UpdateManifest
        {
            UpdateId = Guid.CreateVersion7(now).ToString(),
            Target = new UpdateTarget { Device = device },
            Model = descriptor,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bundle)),
            Size = bundle.Length,
            ChunkSize = ChunkSize,
            ChunkCount = (bundle.Length + ChunkSize - 1) / ChunkSize,
            CreatedAt = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            KeyId = ManifestSigning.KeyId(key),
        };
        var document = JsonSerializer.SerializeToNode(manifest, ProtocolJsonContext.Default.UpdateManifest)!.AsObject();
        ManifestSigning.Sign(document, key);
        return new ClassifierPush(manifest.UpdateId, bundle, Encoding.UTF8.GetBytes(document.ToJsonString()));
    }
}
