namespace EdgeAgent.Testing;

/// <summary>Where the repository, its test models and the shared real models are, found from the test binaries.</summary>
public static class TestPaths
{
    /// <summary>The repository root: the nearest directory above the test binaries that holds edge-agent.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The project's own tiny models (tests/models).</summary>
    public static string TestModels => Path.Combine(RepositoryRoot, "tests", "models");

    /// <summary>The real models, photos and audio beside the repository (EDGEAGENT_SHARED_MODELS, else ../shared/models).</summary>
    public static string SharedModels
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("EDGEAGENT_SHARED_MODELS") is { Length: > 0 } configured
                ? configured
                : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "models"));
            return Directory.Exists(path)
                ? path
                : throw new DirectoryNotFoundException($"the shared models are missing at {path}; clone the repository beside ../shared or set EDGEAGENT_SHARED_MODELS");
        }
    }

    /// <summary>A file under <see cref="SharedModels"/>, which must exist.</summary>
    public static string Shared(params string[] parts)
    {
        var path = Path.Combine([SharedModels, .. parts]);
        return File.Exists(path) ? path : throw new FileNotFoundException($"shared test file missing: {path}", path);
    }

    /// <summary>The built edge-agent assembly, in the configuration these tests were built in.</summary>
    public static string AgentAssembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
            var path = Path.Combine(RepositoryRoot, "src", "EdgeAgent", "bin", configuration, "net10.0", "EdgeAgent.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"edge-agent is not built at {path}: run ./build.sh test", path);
        }
    }

    /// <summary>The built edgectl assembly, run as <c>dotnet edgectl.dll</c>, in the configuration these tests were built in.</summary>
    public static string EdgectlAssembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
            var path = Path.Combine(RepositoryRoot, "src", "EdgeCtl", "bin", configuration, "net10.0", "edgectl.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"edgectl is not built at {path}: run ./build.sh test", path);
        }
    }

    /// <summary>A pinned ONNX Runtime library fetched by build.sh (.ort/VERSION/linux-ARCH/libonnxruntime.so.1).</summary>
    public static string OrtLibrary(string version)
    {
        var arch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var path = Path.Combine(RepositoryRoot, ".ort", version, arch, "libonnxruntime.so.1");
        return File.Exists(path) ? path : throw new FileNotFoundException($"ONNX Runtime {version} is missing at {path}: run ./build.sh test, which fetches it", path);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "edge-agent.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no edge-agent.sln above {AppContext.BaseDirectory}");
    }
}
