using Microsoft.Extensions.Logging;

namespace EdgeAgent.Daemon;

/// <summary>Daemon log messages; event ids 4300 to 4399.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "Event {Event} (stream {Stream}): {Reason}")]
    public static partial void Event(ILogger logger, string @event, string stream, string reason);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "edge-agent {Version} started as {Device}: {Streams} stream(s); results on {Topic}")]
    public static partial void Started(ILogger logger, string version, string device, int streams, string topic);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "edge-agent stopping")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Warning, Message = "Status not published: {Reason}")]
    public static partial void StatusFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Critical, Message = "edge-agent cannot start: {Reason}")]
    public static partial void CannotStart(ILogger logger, string reason);
}
