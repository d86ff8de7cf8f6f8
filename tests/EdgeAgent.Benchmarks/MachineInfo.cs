using System.Security.Cryptography;

namespace EdgeAgent.Benchmarks;

/// <summary>Facts about this machine and files that a reader of the figures needs beside them.</summary>
internal static class MachineInfo
{
    /// <summary>The first "model name" in /proc/cpuinfo, or the architecture where there is none.</summary>
    public static string Cpu()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }

        return System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString();
    }

    public static bool SameBytes(string first, string second)
    {
        if (!File.Exists(first) || !File.Exists(second))
        {
            return false;
        }

        using var a = File.OpenRead(first);
        using var b = File.OpenRead(second);
        return SHA256.HashData(a).AsSpan().SequenceEqual(SHA256.HashData(b));
    }

    /// <summary>The repository root: the nearest folder above this assembly holding edge-agent.sln, else the current directory.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "edge-agent.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
