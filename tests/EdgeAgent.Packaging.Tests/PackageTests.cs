using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeAgent.Packaging.Tests;

/// <summary>The packages themselves: control fields, lintian, the arm64 build's native library, and the unit's
/// hardening score.</summary>
[Collection(PackagesGroup.Name)]
public sealed partial class PackageTests(Packages packages)
{
    /// <summary>The exposure `systemd-analyze security --offline=true` gives the unit; it may only go down. What
    /// keeps it from 0 is written in the unit, one reason per directive.</summary>
    private const double ReachedExposure = 1.3;

    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public async Task The_control_file_names_the_architecture_version_and_runtime_dependencies(string arch)
    {
        var package = arch == "amd64" ? packages.Amd64 : packages.Arm64;
        var control = await Packages.Run("dpkg-deb", ["--field", package], TimeSpan.FromSeconds(30));

        Assert.Contains("Package: edge-agent\n", control, StringComparison.Ordinal);
        Assert.Contains($"Version: {packages.Version}\n", control, StringComparison.Ordinal);
        Assert.Contains($"Architecture: {arch}\n", control, StringComparison.Ordinal);
        var depends = DependsPattern().Match(control).Groups[1].Value.Split(", ");
        Assert.Contains("libmosquitto1", depends);
        Assert.Contains("ffmpeg", depends);
        Assert.Equal(Path.GetFileName(package), $"edge-agent_{packages.Version}_{arch}.deb");
    }

    [Fact]
    public async Task The_arm64_package_carries_the_aarch64_onnx_runtime_library()
    {
        var work = Directory.CreateTempSubdirectory("edge-agent-arm64-").FullName;
        try
        {
            await Packages.Run("dpkg-deb", ["--extract", packages.Arm64, work], TimeSpan.FromMinutes(1));
            var library = Path.Combine(work, "usr", "lib", "edge-agent", "libonnxruntime.so.1");
            var header = new byte[20];
            await using (var stream = File.OpenRead(library))
            {
                await stream.ReadExactlyAsync(header);
            }

            // ELF, 64-bit, little-endian, e_machine 183 (EM_AARCH64).
            Assert.Equal("\u007fELF"u8.ToArray(), header[..4]);
            Assert.Equal(2, header[4]);
            Assert.Equal(183, BitConverter.ToUInt16(header, 18));
            Assert.Equal(
                await File.ReadAllBytesAsync(Path.Combine(Packages.Root, ".ort", "1.30.0", "linux-arm64", "libonnxruntime.so.1")),
                await File.ReadAllBytesAsync(library));
            Assert.False(File.Exists(Path.Combine(work, "usr", "lib", "edge-agent", "EdgeAgent")), "an apphost was packaged");
            Assert.True(File.Exists(Path.Combine(work, "usr", "lib", "edge-agent", "EdgeAgent.dll")));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public async Task Lintian_finds_no_errors(string arch)
    {
        var package = arch == "amd64" ? packages.Amd64 : packages.Arm64;
        var result = await Testing.ChildProcess.RunAsync("lintian", ["--fail-on", "error", package], TimeSpan.FromMinutes(3));

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.DoesNotContain("E: ", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_units_exposure_stays_at_or_below_the_figure_reached()
    {
        var unit = Path.Combine(Packages.Root, "systemd", "edge-agent.service");
        var output = await Packages.Run("systemd-analyze", ["security", "--offline=true", "--no-pager", unit], TimeSpan.FromMinutes(1));

        var exposure = double.Parse(ExposurePattern().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(exposure <= ReachedExposure, $"exposure {exposure} is above {ReachedExposure}:\n{output}");
    }

    [GeneratedRegex(@"^Depends: ([^\n]+)", RegexOptions.Multiline)]
    private static partial Regex DependsPattern();

    [GeneratedRegex(@"Overall exposure level for edge-agent\.service: (\d+\.\d+)")]
    private static partial Regex ExposurePattern();
}
