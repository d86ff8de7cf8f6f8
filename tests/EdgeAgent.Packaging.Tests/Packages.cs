using EdgeAgent.Testing;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace EdgeAgent.Packaging.Tests;

/// <summary>
/// Builds dist/edge-agent_VERSION_amd64.deb and the arm64 one once for every test, with <c>./build.sh deb</c>.
/// The tests share it through one collection, so they run one after another (dpkg and dotnet publish on 2 cores).
/// </summary>
public sealed class Packages : IAsyncLifetime
{
    public string Version { get; private set; } = string.Empty;

    public string Amd64 { get; private set; } = string.Empty;

    public string Arm64 { get; private set; } = string.Empty;

    public static string Root => TestPaths.RepositoryRoot;

    public async Task InitializeAsync()
    {
        Version = (await Run("bash", ["-c", $". '{Path.Combine(Root, "build.sh")}' && product_version"], TimeSpan.FromSeconds(30))).Trim();
        Assert.Matches(@"^\d+\.\d+\.\d+$", Version);
        Amd64 = await Build("amd64");
        Arm64 = await Build("arm64");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> Build(string arch)
    {
        // Two publishes (edge-agent and edgectl) per package; a bound for waiting on a loaded 2-core machine, not a speed goal.
        await Run("bash", [Path.Combine(Root, "build.sh"), "deb", arch], TimeSpan.FromMinutes(15));
        var package = Path.Combine(Root, "dist", $"edge-agent_{Version}_{arch}.deb");
        Assert.True(File.Exists(package), $"./build.sh deb {arch} did not write {package}");
        return package;
    }

    /// <summary>Runs a program that must succeed; its standard output.</summary>
    public static async Task<string> Run(string program, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var list = arguments.ToList();
        var result = await ChildProcess.RunAsync(program, list, timeout, environment);
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', list)} exited {result.ExitCode}\nstdout: {result.StandardOutput}\nstderr: {result.StandardError}");
        return result.StandardOutput;
    }
}

[CollectionDefinition(Name)]
public sealed class PackagesGroup : ICollectionFixture<Packages>
{
    public const string Name = "packages";
}
