using EdgeAgent.Testing;

namespace EdgeAgent.Packaging.Tests;

/// <summary>The amd64 package installed into a fresh Debian root: its files, owners and modes, its account and
/// directories, the unit enabled, <c>edge-agent check</c> from the installed tree, and the unit's runtime guard.</summary>
[Collection(PackagesGroup.Name)]
public sealed class InstallTests(Packages packages) : IDisposable
{
    private readonly DebianRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Installs_the_files_of_contract_section_3_with_root_owners_and_modes()
    {
        await _root.Install(packages.Amd64);

        Assert.Equal("install ok installed", await _root.Status());
        Assert.Equal("0:0 755", await Stat("usr/bin/edge-agent"));
        Assert.Equal("0:0 755", await Stat("usr/bin/edgectl"));
        Assert.Equal("0:0 755", await Stat("usr/lib/edge-agent"));
        foreach (var file in new[]
        {
            "EdgeAgent.dll", "EdgeAgent.runtimeconfig.json", "EdgeAgent.deps.json", "EdgeAgent.Onnx.dll", "EdgeAgent.Protocol.dll", "libonnxruntime.so.1",
            "edgectl.dll", "edgectl.runtimeconfig.json", "edgectl.deps.json", "EdgeAgent.Mqtt.dll", "System.CommandLine.dll",
        })
        {
            Assert.Equal("0:0 644", await Stat("usr/lib/edge-agent/" + file));
        }

        // Framework-dependent and without an apphost: `dotnet EdgeAgent.dll` on the shared runtime.
        Assert.False(File.Exists(_root.At("usr/lib/edge-agent/EdgeAgent")), "an apphost was packaged");
        Assert.False(File.Exists(_root.At("usr/lib/edge-agent/edgectl")), "an apphost was packaged for edgectl");
        Assert.False(Directory.Exists(_root.At("usr/lib/edge-agent/runtimes/win")), "Windows-only assets were packaged");
        var runtimeConfig = await File.ReadAllTextAsync(_root.At("usr/lib/edge-agent/EdgeAgent.runtimeconfig.json"));
        Assert.Contains("\"Microsoft.NETCore.App\"", runtimeConfig, StringComparison.Ordinal);
        Assert.Equal(
            await File.ReadAllBytesAsync(Path.Combine(Packages.Root, ".ort", "1.30.0", "linux-x64", "libonnxruntime.so.1")),
            await File.ReadAllBytesAsync(_root.At("usr/lib/edge-agent/libonnxruntime.so.1")));

        // Bundled models, read-only: /usr/share/edge-agent/models/<name>/<version>/ with every file the descriptor names.
        foreach (var model in new[] { "demo-classifier", "demo-classifier-fp32" })
        {
            var source = Path.Combine(Packages.Root, "models", model, "1");
            foreach (var file in Directory.EnumerateFiles(source))
            {
                var installed = $"usr/share/edge-agent/models/{model}/1/{Path.GetFileName(file)}";
                Assert.Equal("0:0 644", await Stat(installed));
                Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(_root.At(installed)));
            }
        }

        Assert.Equal("0:0 644", await Stat("usr/share/edge-agent/demo-camera.lavfi"));
        Assert.Equal("0:0 644", await Stat("etc/edge-agent/edge-agent.json"));
        Assert.Equal("0:0 755", await Stat("etc/edge-agent/trusted-keys"));
        Assert.Equal("0:0 644", await Stat("etc/edge-agent/trusted-keys/README"));
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(Packages.Root, "systemd", "edge-agent.service")),
            await File.ReadAllTextAsync(_root.At("lib/systemd/system/edge-agent.service")));
        Assert.True(File.Exists(_root.At("usr/share/doc/edge-agent/examples/jetson.conf")));
        Assert.True(File.Exists(_root.At("usr/share/doc/edge-agent/examples/edge-agent.jetson.json")));
        Assert.True(File.Exists(_root.At("usr/share/doc/edge-agent/README.md")));

        var conffiles = await File.ReadAllLinesAsync(_root.At("var/lib/dpkg/info/edge-agent.conffiles"));
        Assert.Equal(["/etc/edge-agent/edge-agent.json", "/etc/edge-agent/trusted-keys/README"], conffiles);
    }

    [Fact]
    public async Task Creates_the_system_user_in_the_groups_the_system_has_and_its_private_directories()
    {
        await _root.Install(packages.Amd64);

        var user = _root.Account("passwd", "edge-agent");
        Assert.NotNull(user);
        Assert.InRange(int.Parse(user[2], System.Globalization.CultureInfo.InvariantCulture), 100, 999);
        Assert.Equal("/var/lib/edge-agent", user[5]);
        Assert.Equal("/usr/sbin/nologin", user[6]);
        Assert.Contains("edge-agent", _root.Account("group", "video")![3].Split(','));
        Assert.Contains("edge-agent", _root.Account("group", "i2c")![3].Split(','));
        Assert.Null(_root.Account("group", "gpio"));
        Assert.Null(_root.Account("group", "spi"));

        var owner = $"{user[2]}:{user[3]}";
        Assert.Equal($"{owner} 750", await Stat("var/lib/edge-agent"));
        Assert.Equal($"{owner} 750", await Stat("var/cache/edge-agent"));

        // Enabled as deb-systemd-helper does it, ready for the next boot; nothing was started (no systemd as PID 1).
        var wanted = _root.At("etc/systemd/system/multi-user.target.wants/edge-agent.service");
        Assert.Equal("/lib/systemd/system/edge-agent.service", new FileInfo(wanted).LinkTarget);

        // A second configure (dpkg-reconfigure, a reinstall) changes nothing.
        var passwd = await File.ReadAllTextAsync(_root.At("etc/passwd"));
        var group = await File.ReadAllTextAsync(_root.At("etc/group"));
        await _root.Install(packages.Amd64);
        Assert.Equal(passwd, await File.ReadAllTextAsync(_root.At("etc/passwd")));
        Assert.Equal(group, await File.ReadAllTextAsync(_root.At("etc/group")));
    }

    [Fact]
    public async Task Edge_agent_check_passes_from_the_installed_tree_on_the_installed_configuration()
    {
        await _root.Install(packages.Amd64);

        // No camera here: the stream's source becomes ffmpeg's testsrc; every path points into the root.
        var result = await ChildProcess.RunAsync(
            _root.At("usr/bin/edge-agent"),
            ["check", "--config", _root.At("etc/edge-agent/edge-agent.json")],
            TimeSpan.FromMinutes(2),
            new Dictionary<string, string>
            {
                ["EDGEAGENT__Streams__0__Source__Url"] = "testsrc",
                ["EDGEAGENT__Agent__StateDirectory"] = _root.At("var/lib/edge-agent"),
                ["EDGEAGENT__Agent__CacheDirectory"] = _root.At("var/cache/edge-agent"),
                ["EDGEAGENT__Models__BundledPath"] = _root.At("usr/share/edge-agent/models"),
                ["EDGEAGENT__Models__TrustedKeysPath"] = _root.At("etc/edge-agent/trusted-keys"),
            });

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
        Assert.Contains($"onnxruntime    1.30.0 at {_root.At("usr/lib/edge-agent/libonnxruntime.so.1")}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("stream camera: model demo-classifier v1", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("stream camera: source testsrc 640x480 rgb24: first frame", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ok: the agent would start cleanly", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_dotnet_the_units_command_names_the_missing_runtime_and_the_install_step_and_exits_2()
    {
        await _root.Install(packages.Amd64);
        var unit = await File.ReadAllLinesAsync(_root.At("lib/systemd/system/edge-agent.service"));
        var execStart = unit.Single(line => line.StartsWith("ExecStart=", StringComparison.Ordinal))["ExecStart=".Length..].Split(' ');
        var dotnetRoot = unit.Single(line => line.StartsWith("Environment=DOTNET_ROOT=", StringComparison.Ordinal))["Environment=DOTNET_ROOT=".Length..];
        Assert.Equal(["/usr/bin/edge-agent", "run"], execStart[..2]);
        var empty = Directory.CreateDirectory(_root.At("tmp/empty-path")).FullName;

        // The unit's command with its DOTNET_ROOT moved into the root (where no runtime is) and a PATH without dotnet.
        var result = await ChildProcess.RunAsync(
            _root.At(execStart[0]),
            execStart[1..],
            TimeSpan.FromSeconds(30),
            new Dictionary<string, string> { ["PATH"] = empty, ["DOTNET_ROOT"] = _root.At(dotnetRoot) });

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.Contains("the .NET 10 runtime (Microsoft.NETCore.App 10.0) is missing", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"DOTNET_ROOT ({_root.At(dotnetRoot)})", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("README.md says under \"Install on a Raspberry Pi\"", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"--install-dir {dotnetRoot}", result.StandardError, StringComparison.Ordinal);

        // The exit status the unit does not restart on, and README's section that the message names.
        Assert.Contains("2", unit.Single(line => line.StartsWith("RestartPreventExitStatus=", StringComparison.Ordinal))["RestartPreventExitStatus=".Length..].Split(' '));
        Assert.Contains("## Install on a Raspberry Pi", await File.ReadAllTextAsync(Path.Combine(Packages.Root, "README.md")), StringComparison.Ordinal);
        Assert.Contains($"--install-dir {dotnetRoot}", await File.ReadAllTextAsync(Path.Combine(Packages.Root, "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_installed_edgectl_runs_from_the_tree_and_names_a_missing_runtime()
    {
        await _root.Install(packages.Amd64);
        var edgectl = _root.At("usr/bin/edgectl");
        var keys = Directory.CreateDirectory(_root.At("tmp/keys")).FullName;

        var keygen = await ChildProcess.RunAsync(edgectl, ["keygen", "--out", Path.Combine(keys, "ops")], TimeSpan.FromMinutes(1));
        var brokerDown = await ChildProcess.RunAsync(edgectl, ["status", "--broker", $"mqtt://127.0.0.1:{LoopbackPorts.Free()}"], TimeSpan.FromMinutes(1));
        var empty = Directory.CreateDirectory(_root.At("tmp/empty-path")).FullName;
        var noRuntime = await ChildProcess.RunAsync(edgectl, ["--version"], TimeSpan.FromSeconds(30), new Dictionary<string, string> { ["PATH"] = empty, ["DOTNET_ROOT"] = empty });

        Assert.True(keygen.ExitCode == 0, keygen.StandardError);
        Assert.Contains("key id", keygen.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(keys, "ops.pub")));

        // libmosquitto loads from the system and the broker that is not there gives the contract's exit code.
        Assert.Equal(4, brokerDown.ExitCode);
        Assert.Contains("edgectl: cannot connect to the broker at mqtt://127.0.0.1:", brokerDown.StandardError, StringComparison.Ordinal);

        Assert.Equal(2, noRuntime.ExitCode);
        Assert.Equal(string.Empty, noRuntime.StandardOutput);
        Assert.Contains($"edgectl: the .NET 10 runtime (Microsoft.NETCore.App 10.0) is missing: no dotnet in {empty} (DOTNET_ROOT", noRuntime.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_installed_unit_and_the_jetson_drop_in_pass_systemd_analyze_verify()
    {
        await _root.Install(packages.Amd64);

        var result = await ChildProcess.RunAsync("systemd-analyze", ["verify", $"--root={_root.Path}", "edge-agent.service"], TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0 && result.StandardError.Length == 0, $"exit {result.ExitCode}: {result.StandardError}");

        var dropIn = Directory.CreateDirectory(_root.At("etc/systemd/system/edge-agent.service.d")).FullName;
        File.Copy(_root.At("usr/share/doc/edge-agent/examples/jetson.conf"), Path.Combine(dropIn, "jetson.conf"));
        result = await ChildProcess.RunAsync("systemd-analyze", ["verify", $"--root={_root.Path}", "edge-agent.service"], TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0 && result.StandardError.Length == 0, $"exit {result.ExitCode}: {result.StandardError}");
    }

    private async Task<string> Stat(string relative) =>
        (await Packages.Run("stat", ["-c", "%u:%g %a", _root.At(relative)], TimeSpan.FromSeconds(10))).Trim();
}
