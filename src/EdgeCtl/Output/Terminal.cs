namespace EdgeCtl.Output;

/// <summary>Whether standard output is a terminal that draws in place (not a pipe, a file or <c>TERM=dumb</c>).</summary>
internal static class Terminal
{
    public static bool IsOutput => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not ("dumb" or null or "");
}
