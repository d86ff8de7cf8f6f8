using System.Security.Cryptography;
using EdgeAgent.Protocol;

namespace EdgeCtl.Signing;

/// <summary>The private key <c>--key</c> names, loaded for signing.</summary>
internal static class SigningKeyFile
{
    /// <exception cref="EdgeCtlException">The file is missing, holds no P-256 key, or only a public one (exit code 2).</exception>
    public static ECDsa Load(string path)
    {
        if (!File.Exists(path))
        {
            throw EdgeCtlException.Usage($"--key {path}: no such file (edgectl keygen --out NAME writes NAME.key)");
        }

        ECDsa key;
        try
        {
            key = SigningKeys.Load(path);
        }
        catch (CryptographicException ex)
        {
            throw EdgeCtlException.Usage($"--key {ex.Message}");
        }

        try
        {
            key.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw EdgeCtlException.Usage($"--key {path} holds a public key; signing needs the private NAME.key that keygen wrote beside it");
        }

        return key;
    }
}
