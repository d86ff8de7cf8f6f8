using Microsoft.Extensions.Logging;

namespace EdgeAgent.Sensors;

/// <summary>Sensor source and anomaly log messages; event ids 4400 to 4599.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4400, Level = LogLevel.Information, Message = "Stream {EA_STREAM}: opening {Sensor}")]
    public static partial void Opening(ILogger logger, string eA_STREAM, string sensor);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Information, Message = "Stream {EA_STREAM}: reopening the sensor in {DelaySeconds:F1} s (attempt {Attempt})")]
    public static partial void Reopening(ILogger logger, string eA_STREAM, double delaySeconds, int attempt);

    [LoggerMessage(EventId = 4404, Level = LogLevel.Warning, Message = "Stream {EA_STREAM}: a sample was skipped ({Invalid} so far): {Reason}")]
    public static partial void InvalidSample(ILogger logger, string eA_STREAM, long invalid, string reason);

    [LoggerMessage(EventId = 4405, Level = LogLevel.Warning, Message = "Stream {EA_STREAM}: the sample buffer was full; {Lost} sample(s) lost so far")]
    public static partial void SamplesLost(ILogger logger, string eA_STREAM, long lost);

    [LoggerMessage(EventId = 4406, Level = LogLevel.Information, Message = "Stream {EA_STREAM}: {Sensor} ended")]
    public static partial void Ended(ILogger logger, string eA_STREAM, string sensor);

    [LoggerMessage(EventId = 4407, Level = LogLevel.Warning, Message = "Stream {EA_STREAM}: {Program}: {Line}")]
    public static partial void ChildOutput(ILogger logger, string eA_STREAM, string program, string line);
}
