using Microsoft.Extensions.Logging;

namespace EdgeAgent.Tests.Systemd;

/// <summary>[LoggerMessage] methods shaped like the agent's own, for the journald tests.</summary>
internal static partial class JournalTestLog
{
    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Stream {EA_STREAM}: source lost: {Reason}")]
    public static partial void SourceLost(ILogger logger, string eA_STREAM, string reason);

    [LoggerMessage(EventId = 3050, Message = "{Text}")]
    public static partial void Text(ILogger logger, LogLevel level, string text);

    [LoggerMessage(EventId = 3051, Level = LogLevel.Error, Message = "Inference failed after {Frames} frames")]
    public static partial void InferenceFailed(ILogger logger, int frames, Exception exception);
}
