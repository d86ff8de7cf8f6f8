using EdgeAgent.Testing;

namespace EdgeCtl.Tests;

/// <summary>Runs the built <c>edgectl</c> as a user does: <c>dotnet edgectl.dll ...</c> in a child process.</summary>
internal static class Edgectl
{
    public static Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(null, arguments);

    /// <summary>Runs with EDGECTL_BROKER unset unless <paramref name="environment"/> sets it, so the caller's shell cannot leak in.</summary>
    public static Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        variables.TryAdd("EDGECTL_BROKER", string.Empty);
        return ChildProcess.RunAsync("dotnet", [TestPaths.EdgectlAssembly, .. arguments], TimeSpan.FromMinutes(2), variables);
    }
}
