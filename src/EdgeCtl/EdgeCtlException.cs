using EdgeAgent.Protocol;

namespace EdgeCtl;

/// <summary>A verb cannot go on: the message is printed after "edgectl: " and the process exits with <see cref="ExitCode"/>.</summary>
internal sealed class EdgeCtlException : Exception
{
    public EdgeCtlException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public EdgeCtlException(int exitCode, string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public EdgeCtlException()
        : this(ExitCodes.Failed, "edgectl failed")
    {
    }

    public EdgeCtlException(string message)
        : this(ExitCodes.Failed, message)
    {
    }

    public EdgeCtlException(string message, Exception innerException)
        : this(ExitCodes.Failed, message, innerException)
    {
    }

    public int ExitCode { get; }

    /// <summary>A wrong option value; <paramref name="message"/> names the option.</summary>
    public static EdgeCtlException Usage(string message) => new(ExitCodes.Usage, message);

    public static EdgeCtlException Refused(string message) => new(ExitCodes.Failed, message);
}
