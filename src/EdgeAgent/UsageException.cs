namespace EdgeAgent;

/// <summary>A command line or configuration value is wrong; the message names the option or key and the value.</summary>
internal sealed class UsageException(string message) : Exception(message)
{
    public UsageException()
        : this("usage error")
    {
    }

    public UsageException(string message, Exception innerException)
        : this(message + ": " + innerException.Message)
    {
    }
}
