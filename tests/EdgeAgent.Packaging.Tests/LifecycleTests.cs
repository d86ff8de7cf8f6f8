namespace EdgeAgent.Packaging.Tests;

/// <summary>Upgrade, remove and purge in a Debian root, as Debian policy says: an upgrade keeps a changed
/// configuration and the model store; remove keeps configuration, state and models; purge deletes them.</summary>
[Collection(PackagesGroup.Name)]
public sealed class LifecycleTests(Packages packages) : IDisposable
{
    private readonly DebianRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task An_upgrade_keeps_a_changed_configuration_and_the_model_store()
    {
        await _root.Install(packages.Amd64);
        var config = _root.At("etc/edge-agent/edge-agent.json");
        var changed = (await File.ReadAllTextAsync(config)).Replace("\"Host\": \"localhost\"", "\"Host\": \"broker.lan\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(config, changed);
        var key = _root.At("etc/edge-agent/trusted-keys/ops.pub");
        await File.WriteAllTextAsync(key, "-----BEGIN PUBLIC KEY-----\n");
        var stored = WriteModelStore();

        var next = await Repack(packages.Amd64, packages.Version + "+1");
        var output = await _root.Install(next);

        Assert.Equal(packages.Version + "+1", await _root.InstalledVersion());
        Assert.Equal("install ok installed", await _root.Status());
        Assert.Equal(changed, await File.ReadAllTextAsync(config));
        Assert.False(File.Exists(config + ".dpkg-dist"), output);
        Assert.True(File.Exists(key));
        foreach (var (path, content) in stored)
        {
            Assert.Equal(content, await File.ReadAllTextAsync(path));
        }

        Assert.True(File.Exists(_root.At("etc/systemd/system/multi-user.target.wants/edge-agent.service")));
    }

    [Fact]
    public async Task Remove_keeps_configuration_state_and_models_and_purge_deletes_them()
    {
        await _root.Install(packages.Amd64);
        var stored = WriteModelStore();
        Directory.CreateDirectory(_root.At("var/cache/edge-agent/graphs"));
        await File.WriteAllTextAsync(_root.At("var/cache/edge-agent/graphs/a.ort"), "optimised");
        var passwd = await File.ReadAllTextAsync(_root.At("etc/passwd"));

        await _root.Remove();

        Assert.Equal("deinstall ok config-files", await _root.Status());
        Assert.False(Directory.Exists(_root.At("usr/lib/edge-agent")));
        Assert.False(File.Exists(_root.At("usr/bin/edge-agent")));
        Assert.False(File.Exists(_root.At("lib/systemd/system/edge-agent.service")));
        Assert.False(Directory.Exists(_root.At("usr/share/edge-agent")));
        Assert.True(File.Exists(_root.At("etc/edge-agent/edge-agent.json")));
        Assert.True(File.Exists(_root.At("var/cache/edge-agent/graphs/a.ort")));
        foreach (var (path, content) in stored)
        {
            Assert.Equal(content, await File.ReadAllTextAsync(path));
        }

        Assert.Equal(passwd, await File.ReadAllTextAsync(_root.At("etc/passwd")));

        await _root.Purge();

        Assert.Null(await _root.Status());
        Assert.False(Directory.Exists(_root.At("etc/edge-agent")));
        Assert.False(Directory.Exists(_root.At("var/lib/edge-agent")));
        Assert.False(Directory.Exists(_root.At("var/cache/edge-agent")));
        Assert.False(File.Exists(_root.At("etc/systemd/system/multi-user.target.wants/edge-agent.service")));
        Assert.False(File.Exists(_root.At("etc/systemd/system/edge-agent.service")), "the unit was left masked");
        // The system user stays (Debian policy: files it owned may remain, and a reused id would own them).
        Assert.NotNull(_root.Account("passwd", "edge-agent"));

        // Installing again after a purge starts from nothing and enables the unit again.
        await _root.Install(packages.Amd64);
        Assert.Equal("install ok installed", await _root.Status());
        Assert.True(File.Exists(_root.At("etc/systemd/system/multi-user.target.wants/edge-agent.service")));
        Assert.True(Directory.Exists(_root.At("var/lib/edge-agent")));
    }

    /// <summary>What the agent would have written: an installed update bundle, state.json, an outbox entry.</summary>
    private List<(string Path, string Content)> WriteModelStore()
    {
        var files = new List<(string, string)>
        {
            (_root.At("var/lib/edge-agent/models/demo-classifier/2/model.json"), "{\"name\":\"demo-classifier\",\"version\":2}"),
            (_root.At("var/lib/edge-agent/state.json"), "{\"models\":{\"demo-classifier\":{\"active\":2}}}"),
            (_root.At("var/lib/edge-agent/outbox/000001.json"), "{\"seq\":1}"),
        };
        foreach (var (path, content) in files)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        return files;
    }

    /// <summary>The same package with a higher version: the next build, as an upgrade sees it.</summary>
    private async Task<string> Repack(string package, string version)
    {
        var work = _root.At("tmp/repack");
        await Packages.Run("dpkg-deb", ["--raw-extract", package, work], TimeSpan.FromMinutes(1));
        var control = Path.Combine(work, "DEBIAN", "control");
        var lines = (await File.ReadAllLinesAsync(control)).Select(line => line.StartsWith("Version: ", StringComparison.Ordinal) ? "Version: " + version : line);
        await File.WriteAllLinesAsync(control, lines);
        var next = _root.At($"tmp/edge-agent_{version}.deb");
        await Packages.Run("dpkg-deb", ["--root-owner-group", "-Zgzip", "-z1", "--build", work, next], TimeSpan.FromMinutes(2));
        return next;
    }
}
