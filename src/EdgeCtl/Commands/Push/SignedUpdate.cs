using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeAgent.Protocol;

namespace EdgeCtl.Commands.Push;

/// <summary>A signed manifest and the bundle cut into its chunks (CONTRACT.md section 7).</summary>
internal sealed class SignedUpdate
{
    private readonly byte[] _bundle;

    private SignedUpdate(UpdateManifest manifest, byte[] offer, byte[] bundle)
    {
        Manifest = manifest;
        Offer = offer;
        _bundle = bundle;
    }

    public UpdateManifest Manifest { get; }

    /// <summary>The manifest with its signature, as published on the offer topic.</summary>
    public byte[] Offer { get; }

    public string UpdateId => Manifest.UpdateId;

    public int ChunkCount => Manifest.ChunkCount;

    public ReadOnlyMemory<byte> Chunk(int index)
    {
        var start = (long)index * Manifest.ChunkSize;
        return _bundle.AsMemory((int)start, (int)Math.Min(Manifest.ChunkSize, _bundle.Length - start));
    }

    /// <summary>The payload of <c>done/&lt;update_id&gt;</c>.</summary>
    public byte[] Done() => Encoding.UTF8.GetBytes($$"""{"update_id":"{{UpdateId}}","chunk_count":{{ChunkCount.ToString(CultureInfo.InvariantCulture)}}}""");

    public static SignedUpdate Create(BuiltBundle bundle, UpdateTarget target, int chunkSize, ECDsa key, DateTimeOffset now)
    {
        var manifest = new UpdateManifest
        {
            UpdateId = Guid.CreateVersion7(now).ToString(),
            Target = target,
            Model = bundle.Descriptor,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bundle.Bytes)),
            Size = bundle.Bytes.Length,
            ChunkSize = chunkSize,
            ChunkCount = (int)((bundle.Bytes.LongLength + chunkSize - 1) / chunkSize),
            CreatedAt = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            KeyId = ManifestSigning.KeyId(key),
        };
        var document = JsonSerializer.SerializeToNode(manifest, ProtocolJsonContext.Default.UpdateManifest)!.AsObject();
        ManifestSigning.Sign(document, key);
        return new SignedUpdate(manifest, Encoding.UTF8.GetBytes(document.ToJsonString()), bundle.Bytes);
    }
}
