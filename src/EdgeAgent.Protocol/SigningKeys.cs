using System.Security.Cryptography;

namespace EdgeAgent.Protocol;

/// <summary>P-256 keys as files: the private key as PKCS#8 PEM, the public key as SubjectPublicKeyInfo PEM.</summary>
public static class SigningKeys
{
    public static ECDsa Generate() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Reads a PEM key (private or public) and checks it is on P-256.</summary>
    /// <exception cref="CryptographicException">The file holds no P-256 key; the message names the file.</exception>
    public static ECDsa Load(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new CryptographicException($"{path} holds a {key.KeySize}-bit key; edge-agent signs with ECDSA P-256");
            }

            return key;
        }
        catch (ArgumentException ex)
        {
            key.Dispose();
            throw new CryptographicException($"{path} holds no PEM-encoded EC key: {ex.Message}", ex);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public static string PrivatePem(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportPkcs8PrivateKeyPem();
    }

    public static string PublicPem(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportSubjectPublicKeyInfoPem();
    }
}
