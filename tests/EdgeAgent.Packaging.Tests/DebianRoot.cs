using System.Text.RegularExpressions;

namespace EdgeAgent.Packaging.Tests;

/// <summary>
/// A minimal Debian root in a temporary directory: dpkg's database, the account files with root, video and i2c
/// (as on Raspberry Pi OS, which has i2c; gpio and spi are left out to see that none is created), and the host's
/// systemd units (for <c>systemd-analyze verify --root</c>). Packages go in with <c>dpkg --root</c>; the maintainer
/// scripts run outside a chroot with DPKG_ROOT set (<c>--force-script-chrootless</c>), as the root holds no shell.
/// Dependencies are not installed (<c>--force-depends</c>): the package's own files and scripts are under test.
/// </summary>
public sealed partial class DebianRoot : IDisposable
{
    public DebianRoot()
    {
        Path = Directory.CreateTempSubdirectory("edge-agent-root-").FullName;
        foreach (var directory in new[] { "etc", "var/lib/dpkg/info", "var/lib/dpkg/updates", "var/log", "usr/sbin", "lib/systemd/system", "tmp" })
        {
            Directory.CreateDirectory(At(directory));
        }

        File.WriteAllText(At("var/lib/dpkg/status"), string.Empty);
        File.WriteAllText(At("var/lib/dpkg/available"), string.Empty);
        File.WriteAllText(At("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        File.WriteAllText(At("etc/group"), "root:x:0:\nvideo:x:44:\ni2c:x:998:\n");
        File.WriteAllText(At("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        File.WriteAllText(At("etc/gshadow"), "root:*::\nvideo:*::\ni2c:*::\n");
        File.SetUnixFileMode(At("etc/shadow"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.SetUnixFileMode(At("etc/gshadow"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.WriteAllText(At("usr/sbin/nologin"), "#!/bin/sh\nexit 1\n");
        File.SetUnixFileMode(At("usr/sbin/nologin"), (UnixFileMode)0b111_101_101);
        foreach (var unit in Directory.EnumerateFiles("/lib/systemd/system"))
        {
            File.Copy(unit, At("lib/systemd/system/" + System.IO.Path.GetFileName(unit)));
        }
    }

    public string Path { get; }

    /// <summary>A path inside the root, from one relative to it ("etc/edge-agent").</summary>
    public string At(string relative) => System.IO.Path.Combine(Path, relative.TrimStart('/'));

    public Task<string> Install(string package) => Dpkg("--install", package);

    public Task<string> Remove() => Dpkg("--remove", "edge-agent");

    public Task<string> Purge() => Dpkg("--purge", "edge-agent");

    public Task<string> Dpkg(params string[] arguments) => Packages.Run(
        "dpkg",
        [$"--root={Path}", $"--log={At("var/log/dpkg.log")}", "--force-script-chrootless", "--force-depends", "--force-unsafe-io", .. arguments],
        TimeSpan.FromMinutes(2));

    /// <summary>dpkg's status of edge-agent in this root ("install ok installed"), or null when it knows none.</summary>
    public async Task<string?> Status()
    {
        var status = await File.ReadAllTextAsync(At("var/lib/dpkg/status"));
        var match = StatusPattern().Match(status);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>The installed version of edge-agent.</summary>
    public async Task<string?> InstalledVersion()
    {
        var status = await File.ReadAllTextAsync(At("var/lib/dpkg/status"));
        var match = VersionPattern().Match(status);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>The account line of <paramref name="name"/> in etc/passwd or etc/group, split at ':'.</summary>
    public string[]? Account(string file, string name) =>
        File.ReadAllLines(At("etc/" + file)).Select(line => line.Split(':')).FirstOrDefault(fields => fields[0] == name);

    public void Dispose() => Directory.Delete(Path, recursive: true);

    [GeneratedRegex(@"^Package: edge-agent\nStatus: ([^\n]+)", RegexOptions.Multiline)]
    private static partial Regex StatusPattern();

    [GeneratedRegex(@"^Package: edge-agent\n(?:[^\n]+\n)*?Version: ([^\n]+)", RegexOptions.Multiline)]
    private static partial Regex VersionPattern();
}
