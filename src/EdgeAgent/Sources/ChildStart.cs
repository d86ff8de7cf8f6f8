using System.Diagnostics;

namespace EdgeAgent.Sources;

/// <summary>How a source starts its child: stdin closed by the caller, stdout and stderr read by the source, no shell.</summary>
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
}
