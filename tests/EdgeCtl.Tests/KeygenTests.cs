using System.Text.Json.Nodes;
using EdgeAgent.Protocol;

namespace EdgeCtl.Tests;

/// <summary><c>edgectl keygen</c>: the pair the daemon's trusted-keys directory reads, and no overwriting.</summary>
public sealed class KeygenTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Writes_a_private_key_only_its_owner_reads_and_a_public_key_whose_id_it_prints()
    {
        var result = await Edgectl.RunAsync("keygen", "--out", _directory["ops"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_directory["ops.key"]));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(_directory["ops.key"]), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", File.ReadAllText(_directory["ops.pub"]), StringComparison.Ordinal);
        using var publicKey = SigningKeys.Load(_directory["ops.pub"]);
        using var privateKey = SigningKeys.Load(_directory["ops.key"]);
        Assert.Contains($"key id       {ManifestSigning.KeyId(publicKey)}", result.StandardOutput, StringComparison.Ordinal);

        var document = new JsonObject { ["update_id"] = "u1" };
        ManifestSigning.Sign(document, privateKey);
        Assert.True(ManifestSigning.Verify(document, publicKey));
    }

    [Fact]
    public async Task Refuses_to_overwrite_either_file_and_leaves_both_as_they_were()
    {
        File.WriteAllText(_directory["ops.pub"], "an operator's existing key\n");

        var result = await Edgectl.RunAsync("keygen", "--out", _directory["ops"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{_directory["ops.pub"]} already exists; keygen never overwrites a key", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("an operator's existing key\n", File.ReadAllText(_directory["ops.pub"]));
        Assert.False(File.Exists(_directory["ops.key"]));
    }

    [Fact]
    public async Task A_missing_out_option_or_directory_is_a_usage_error()
    {
        var missing = await Edgectl.RunAsync("keygen");
        var nowhere = await Edgectl.RunAsync("keygen", "--out", _directory["no/such/dir/ops"]);

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("Option '--out' is required", missing.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, nowhere.ExitCode);
        Assert.Contains($"the directory {_directory["no/such/dir"]} does not exist", nowhere.StandardError, StringComparison.Ordinal);
    }
}
