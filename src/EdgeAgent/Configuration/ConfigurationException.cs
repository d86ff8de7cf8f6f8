namespace EdgeAgent.Configuration;

/// <summary>The configuration cannot be used; the message names the file or key, the value and what is allowed.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException()
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
