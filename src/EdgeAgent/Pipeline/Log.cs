using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipeline;

/// <summary>Pipeline log messages; event ids 4100 to 4199.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Stream {EA_STREAM}: running {EA_MODEL} v{EA_MODEL_VERSION}")]
    public static partial void Started(ILogger logger, string eA_STREAM, string eA_MODEL, int eA_MODEL_VERSION);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Stream {EA_STREAM}: inference on {EA_MODEL} v{EA_MODEL_VERSION} failed: {Reason}")]
    public static partial void InferenceFailed(ILogger logger, string eA_STREAM, string eA_MODEL, int eA_MODEL_VERSION, string reason);
}
