namespace EdgeAgent.Sources;

/// <summary>A source's process ended or stalled; the message says how.</summary>
public sealed class SourceFailedException : Exception
{
    public SourceFailedException(string message)
        : base(message)
    {
    }

    public SourceFailedException()
    {
    }

    public SourceFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
