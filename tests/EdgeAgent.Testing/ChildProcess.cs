using System.Diagnostics;

namespace EdgeAgent.Testing;

/// <summary>What a finished child process printed and returned.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs a program to completion with a time limit; on timeout it is killed by its process id, with its children.</summary>
public static class ChildProcess
{
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} (pid {process.Id}) ran past {timeout} and was killed; stderr: {await errors}");
        }

        return new ProcessResult(process.ExitCode, await output, await errors);
    }

    /// <summary>Runs the built <c>edge-agent</c> (src/EdgeAgent, same configuration as the tests) with <paramref name="arguments"/>.</summary>
    public static Task<ProcessResult> RunAgentAsync(params string[] arguments) =>
        RunAsync("dotnet", [TestPaths.AgentAssembly, .. arguments], TimeSpan.FromMinutes(2));
}
