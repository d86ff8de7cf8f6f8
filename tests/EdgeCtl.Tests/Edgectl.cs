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

    /// <summary>Runs in a pseudo-terminal, by util-linux <c>script</c>, as in an operator's terminal (TERM=xterm); stdout and stderr come back together.</summary>
    public static Task<ProcessResult> RunInTerminalAsync(params string[] arguments)
    {
        var command = string.Join(' ', new[] { "dotnet", TestPaths.EdgectlAssembly }.Concat(arguments).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        return ChildProcess.RunAsync(
            "script",
            ["--quiet", "--flush", "--return", "--command", command, "/dev/null"],
            TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["EDGECTL_BROKER"] = string.Empty, ["TERM"] = "xterm" });
    }
}
