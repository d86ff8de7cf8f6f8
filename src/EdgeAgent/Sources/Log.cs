using Microsoft.Extensions.Logging;

namespace EdgeAgent.Sources;

/// <summary>Source log messages; event ids 4000 to 4099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Stream {EA_STREAM}: starting {Program} {Arguments}")]
    public static partial void Starting(ILogger logger, string eA_STREAM, string program, string arguments);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Stream {EA_STREAM}: {Program}: {Line}")]
    public static partial void ChildOutput(ILogger logger, string eA_STREAM, string program, string line);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Stream {EA_STREAM}: source lost: {Reason}")]
    public static partial void Lost(ILogger logger, string eA_STREAM, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Stream {EA_STREAM}: source restored after {DowntimeSeconds:F1} s")]
    public static partial void Restored(ILogger logger, string eA_STREAM, double downtimeSeconds);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Stream {EA_STREAM}: restarting the source in {DelaySeconds:F1} s (attempt {Attempt})")]
    public static partial void Restarting(ILogger logger, string eA_STREAM, double delaySeconds, int attempt);
}
