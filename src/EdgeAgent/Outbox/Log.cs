using Microsoft.Extensions.Logging;

namespace EdgeAgent.Outbox;

/// <summary>Outbox log messages; event ids 4200 to 4299.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Outbox {Directory}: {Records} record(s) waiting from before the start, next seq {Next}")]
    public static partial void Opened(ILogger logger, string directory, long records, string next);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Outbox: {Bytes} byte(s) of a torn or corrupt record cut from the end of {Segment}")]
    public static partial void Corrupt(ILogger logger, string segment, long bytes);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Outbox full: the oldest {Records} record(s) dropped ({Reason})")]
    public static partial void Dropped(ILogger logger, long records, string reason);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Error, Message = "Outbox: a record could not be written and is lost; everything queued before it is kept: {Reason}")]
    public static partial void WriteFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "Outbox: the broker refused a record for {Topic}: {Reason}")]
    public static partial void Refused(ILogger logger, string topic, string reason);
}
