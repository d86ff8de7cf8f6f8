namespace EdgeAgent.Sensors;

/// <summary>A sensor cannot be read at all (its file is gone, its process died): the source is lost until it returns.</summary>
public sealed class SensorUnavailableException : Exception
{
    public SensorUnavailableException(string message)
        : base(message)
    {
    }

    public SensorUnavailableException()
    {
    }

    public SensorUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
