namespace EdgeAgent.Sensors;

/// <summary>One reading could not be understood: that sample is skipped and counted; the stream goes on.</summary>
public sealed class SensorValueException : Exception
{
    public SensorValueException(string message)
        : base(message)
    {
    }

    public SensorValueException()
    {
    }

    public SensorValueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
