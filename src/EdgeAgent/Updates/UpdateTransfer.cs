using System.Security.Cryptography;
using System.Text.Json;
using EdgeAgent.Protocol;

namespace EdgeAgent.Updates;

/// <summary>
/// One update's bundle arriving in chunks, under <c>&lt;staging&gt;/&lt;update_id&gt;/</c>: the offer as received, the
/// bundle written at each chunk's offset, and one byte per chunk marking it received. Chunks may come twice or in
/// any order; a restart picks the transfer up where it was.
/// </summary>
internal sealed class UpdateTransfer : IDisposable
{
    private const string OfferFile = "offer.json";
    private const string BundleFile = "bundle.tar";
    private const string ReceivedFile = "received";

    private readonly FileStream _bundle;
    private readonly FileStream _marks;
    private readonly bool[] _received;

    private UpdateTransfer(string directory, UpdateManifest manifest, FileStream bundle, FileStream marks, bool[] received)
    {
        Directory = directory;
        Manifest = manifest;
        _bundle = bundle;
        _marks = marks;
        _received = received;
        ReceivedCount = received.Count(r => r);
    }

    public string Directory { get; }

    public UpdateManifest Manifest { get; }

    public string BundlePath => Path.Combine(Directory, BundleFile);

    public int ReceivedCount { get; private set; }

    public bool Complete => ReceivedCount == Manifest.ChunkCount;

    public double Progress => (double)ReceivedCount / Manifest.ChunkCount;

    /// <summary>Starts a transfer in a new, empty <paramref name="directory"/>, keeping <paramref name="offer"/> for a resume.</summary>
    public static UpdateTransfer Create(string directory, UpdateManifest manifest, ReadOnlySpan<byte> offer)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }

        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, OfferFile), offer.ToArray());
        var bundle = new FileStream(Path.Combine(directory, BundleFile), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        var marks = new FileStream(Path.Combine(directory, ReceivedFile), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        bundle.SetLength(manifest.Size);
        marks.SetLength(manifest.ChunkCount);
        return new UpdateTransfer(directory, manifest, bundle, marks, new bool[manifest.ChunkCount]);
    }

    /// <summary>The raw offer a transfer in <paramref name="directory"/> was started from, or null when there is none to resume.</summary>
    public static byte[]? SavedOffer(string directory)
    {
        var path = Path.Combine(directory, OfferFile);
        return File.Exists(path) && File.Exists(Path.Combine(directory, BundleFile)) && File.Exists(Path.Combine(directory, ReceivedFile))
            ? File.ReadAllBytes(path)
            : null;
    }

    /// <summary>Reopens the transfer a previous run left in <paramref name="directory"/> for <paramref name="manifest"/>.</summary>
    /// <exception cref="InvalidDataException">Its files do not match the manifest.</exception>
    public static UpdateTransfer Resume(string directory, UpdateManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var bundle = new FileStream(Path.Combine(directory, BundleFile), FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var marks = new FileStream(Path.Combine(directory, ReceivedFile), FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (bundle.Length != manifest.Size || marks.Length != manifest.ChunkCount)
        {
            bundle.Dispose();
            marks.Dispose();
            throw new InvalidDataException($"{directory} does not match its offer ({bundle.Length} bytes, {marks.Length} marks)");
        }

        var bytes = new byte[manifest.ChunkCount];
        marks.ReadExactly(bytes);
        return new UpdateTransfer(directory, manifest, bundle, marks, [.. bytes.Select(b => b != 0)]);
    }

    /// <summary>Stores one chunk; null when taken (or already here), else why it was refused.</summary>
    public string? Accept(int index, ReadOnlySpan<byte> payload)
    {
        var manifest = Manifest;
        if (index < 0 || index >= manifest.ChunkCount)
        {
            return $"chunk index {index} is outside 0..{manifest.ChunkCount - 1}";
        }

        var offset = (long)index * manifest.ChunkSize;
        var expected = (int)Math.Min(manifest.ChunkSize, manifest.Size - offset);
        if (payload.Length != expected)
        {
            return $"chunk {index} holds {payload.Length} bytes; it must hold {expected}";
        }

        if (_received[index])
        {
            return null;
        }

        // The data before its mark, so a crash between the two only costs this chunk being sent again.
        RandomAccess.Write(_bundle.SafeFileHandle, payload, offset);
        RandomAccess.Write(_marks.SafeFileHandle, [1], index);
        _received[index] = true;
        ReceivedCount++;
        return null;
    }

    /// <summary>The inclusive index ranges not yet received, in order.</summary>
    public IReadOnlyList<int[]> Missing()
    {
        var ranges = new List<int[]>();
        for (var i = 0; i < _received.Length; i++)
        {
            if (_received[i])
            {
                continue;
            }

            var start = i;
            while (i + 1 < _received.Length && !_received[i + 1])
            {
                i++;
            }

            ranges.Add([start, i]);
        }

        return ranges;
    }

    /// <summary>Null when the complete bundle has the manifest's size and sha256, else what differs.</summary>
    public string? VerifyContent()
    {
        _bundle.Flush(flushToDisk: true);
        if (_bundle.Length != Manifest.Size)
        {
            return $"the bundle is {_bundle.Length} bytes; the manifest says {Manifest.Size}";
        }

        _bundle.Position = 0;
        var actual = Convert.ToHexStringLower(SHA256.HashData(_bundle));
        return actual == Manifest.Sha256 ? null : $"sha256 mismatch: the bundle is {actual}, the manifest says {Manifest.Sha256}";
    }

    /// <summary>A read-only view of the complete bundle.</summary>
    public Stream OpenBundle()
    {
        _bundle.Position = 0;
        return new FileStream(BundlePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
    }

    public void Dispose()
    {
        _bundle.Dispose();
        _marks.Dispose();
    }

    /// <summary>Closes the transfer and removes everything it wrote.</summary>
    public void Discard()
    {
        Dispose();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    public static UpdateManifest ParseOffer(byte[] offer) =>
        JsonSerializer.Deserialize(offer, ProtocolJsonContext.Default.UpdateManifest) ?? throw new InvalidDataException("the saved offer is null");
}
