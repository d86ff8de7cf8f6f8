using EdgeAgent.Protocol;

namespace EdgeCtl.Commands.Keygen;

/// <summary>Writes a new signing key pair; never overwrites a file, so an existing key cannot be lost.</summary>
internal static class KeygenCommand
{
    private const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PublicMode = PrivateMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static int Run(string name, TextWriter output)
    {
        if (string.IsNullOrWhiteSpace(name) || name.EndsWith('/'))
        {
            throw EdgeCtlException.Usage($"--out '{name}' must name a file, without extension (NAME gives NAME.key and NAME.pub)");
        }

        var privatePath = name + ".key";
        var publicPath = name + ".pub";
        var directory = Path.GetDirectoryName(Path.GetFullPath(privatePath))!;
        if (!Directory.Exists(directory))
        {
            throw EdgeCtlException.Usage($"--out '{name}': the directory {directory} does not exist");
        }

        foreach (var path in new[] { privatePath, publicPath })
        {
            if (File.Exists(path))
            {
                throw EdgeCtlException.Refused($"{path} already exists; keygen never overwrites a key (move it away or choose another --out)");
            }
        }

        using var key = SigningKeys.Generate();
        Write(privatePath, SigningKeys.PrivatePem(key), PrivateMode);
        try
        {
            Write(publicPath, SigningKeys.PublicPem(key), PublicMode);
        }
        catch
        {
            File.Delete(privatePath);
            throw;
        }

        output.WriteLine($"private key  {privatePath} (mode 0600: keep it secret; edgectl push and rollback sign with it)");
        output.WriteLine($"public key   {publicPath} (copy it into /etc/edge-agent/trusted-keys/ on each device)");
        output.WriteLine($"key id       {ManifestSigning.KeyId(key)}");
        return ExitCodes.Success;
    }

    /// <summary>Creates the file with its mode from the start (no window in which the key is readable) and fails if it exists.</summary>
    private static void Write(string path, string pem, UnixFileMode mode)
    {
        try
        {
            using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode });
            using var writer = new StreamWriter(stream);
            writer.Write(pem);
            writer.Write('\n');
        }
        catch (IOException ex) when (File.Exists(path))
        {
            throw new EdgeCtlException(ExitCodes.Failed, $"{path} appeared while keygen ran; it was left as it is", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new EdgeCtlException(ExitCodes.Failed, $"cannot write {path}: {ex.Message}", ex);
        }
    }
}
