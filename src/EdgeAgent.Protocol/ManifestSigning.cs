using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeAgent.Protocol;

/// <summary>
/// Signatures over signed JSON documents (update manifests, rollback commands): ECDSA P-256 with SHA-256 over the
/// RFC 8785 canonical bytes of the document without its <c>signature</c> member, DER-encoded, base64.
/// </summary>
public static class ManifestSigning
{
    public const string SignatureMember = "signature";

    /// <summary>The bytes a signature covers: the canonical form of <paramref name="document"/> less its signature.</summary>
    public static byte[] SignedBytes(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var unsigned = (JsonObject)document.DeepClone();
        unsigned.Remove(SignatureMember);
        using var parsed = JsonDocument.Parse(unsigned.ToJsonString());
        return CanonicalJson.Canonicalize(parsed.RootElement);
    }

    /// <summary>Sets <c>key_id</c> and <c>signature</c> on <paramref name="document"/>.</summary>
    public static void Sign(JsonObject document, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(key);
        document["key_id"] = KeyId(key);
        var signature = key.SignData(SignedBytes(document), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        document[SignatureMember] = Convert.ToBase64String(signature);
    }

    /// <summary>Whether <paramref name="document"/>'s signature is valid under <paramref name="key"/>.</summary>
    public static bool Verify(JsonObject document, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(key);
        if (document[SignatureMember] is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            return false;
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return false;
        }

        return key.VerifyData(SignedBytes(document), signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>A key's id: the lowercase hex SHA-256 of its SubjectPublicKeyInfo DER.</summary>
    public static string KeyId(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }
}
