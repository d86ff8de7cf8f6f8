namespace EdgeAgent.Tests.Sensors;

/// <summary>A sysfs tree in a temporary directory, with files in the kernel's formats (a value and a newline).</summary>
internal sealed class SysfsTree : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("edge-agent-sysfs-").FullName;

    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content + "\n");
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
