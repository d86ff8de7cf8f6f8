using EdgeAgent.Testing;

namespace EdgeAgent.Tests;

/// <summary>build.sh's set-up refuses a download whose checksum differs, naming the file and both hashes.</summary>
public sealed class BuildScriptTests
{
    [Fact]
    public async Task A_checksum_mismatch_stops_with_the_file_and_both_hashes()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "tampered");
            var expected = new string('0', 64);

            var result = await ChildProcess.RunAsync(
                "bash",
                ["-c", $". '{Path.Combine(TestPaths.RepositoryRoot, "build.sh")}' && verify_sha256 '{file}' {expected}"],
                TimeSpan.FromSeconds(30));

            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"checksum mismatch for {Path.GetFileName(file)}", result.StandardError, StringComparison.Ordinal);
            Assert.Contains($"expected sha256 {expected}", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("actual   sha256 " + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("tampered"u8)), result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_second_set_up_is_quiet_and_fetches_nothing()
    {
        // npm is taken off PATH: any attempt to fetch would fail the set-up.
        var result = await ChildProcess.RunAsync(
            "bash",
            ["-c", $"npm() {{ echo 'npm called' >&2; return 1; }}; export -f npm; . '{Path.Combine(TestPaths.RepositoryRoot, "build.sh")}' && setup"],
            TimeSpan.FromMinutes(1));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput + result.StandardError);
    }
}
