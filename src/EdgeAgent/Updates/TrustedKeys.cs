using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EdgeAgent.Protocol;

namespace EdgeAgent.Updates;

/// <summary>
/// The public keys in <c>Models:TrustedKeysPath</c> (<c>*.pub</c>). The directory is read at every check, so a key
/// file removed is revoked from the next message on, without a restart.
/// </summary>
internal sealed class TrustedKeys(string directory, bool requireSignature)
{
    public bool RequireSignature => requireSignature;

    /// <summary>Null when <paramref name="document"/> is signed by a trusted key (or unsigned while signatures are not required), else why not.</summary>
    public string? Problem(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var signed = document[ManifestSigning.SignatureMember] is not null;
        if (!signed)
        {
            return requireSignature ? "it is not signed and Models:RequireSignature is on" : null;
        }

        if (document["key_id"] is not JsonValue keyValue || !keyValue.TryGetValue<string>(out var keyId) || keyId.Length == 0)
        {
            return "it is signed but names no key_id";
        }

        using var key = Find(keyId);
        if (key is null)
        {
            return $"key {keyId} is not trusted (no matching .pub in {directory})";
        }

        return ManifestSigning.Verify(document, key) ? null : $"the signature does not verify under key {keyId}";
    }

    private ECDsa? Find(string keyId)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*.pub"))
        {
            ECDsa key;
            try
            {
                key = SigningKeys.Load(file);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (ManifestSigning.KeyId(key) == keyId)
            {
                return key;
            }

            key.Dispose();
        }

        return null;
    }
}
