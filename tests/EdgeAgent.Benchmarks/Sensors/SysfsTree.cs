namespace EdgeAgent.Benchmarks.Sensors;

/// <summary>An hwmon chip named "bench" with as many labelled temperature inputs as asked, in a temporary sysfs root.</summary>
internal sealed class SysfsTree : IDisposable
{
    public SysfsTree(int channels)
    {
        var chip = Directory.CreateDirectory(Path.Combine(Root, "class", "hwmon", "hwmon0")).FullName;
        File.WriteAllText(Path.Combine(chip, "name"), "bench\n");
        for (var i = 1; i <= channels; i++)
        {
            File.WriteAllText(Path.Combine(chip, $"temp{i}_label"), $"Core {i}\n");
            File.WriteAllText(Path.Combine(chip, $"temp{i}_input"), $"{40000 + i}\n");
        }

        Labels = [.. Enumerable.Range(1, channels).Select(i => $"Core {i}")];
        Inputs = [.. Enumerable.Range(1, channels).Select(i => Path.Combine(chip, $"temp{i}_input"))];
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("edge-agent-bench-sysfs-").FullName;

    public IReadOnlyList<string> Labels { get; }

    public IReadOnlyList<string> Inputs { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
