using System.Diagnostics;

namespace EdgeAgent.Sources;

/// <summary>How a source starts its child (stdin closed by the caller, stdout and stderr read by the source, no shell) and ends it.</summary>
internal static class ChildStart
{
    public static ProcessStartInfo For(string program, IEnumerable<string> arguments)
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

        return start;
    }

    /// <summary>Kills the child and whatever it started, unless it has exited already; does not wait for it.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }
}
