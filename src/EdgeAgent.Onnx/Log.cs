using Microsoft.Extensions.Logging;

namespace EdgeAgent.Onnx;

/// <summary>The binding's log messages; event ids 1000 to 1099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Message = "ONNX Runtime {Version} loaded from {Path} (API {ApiVersion} requested; the library offers up to {LibraryApiVersion})")]
    public static partial void LibraryLoaded(ILogger logger, LogLevel level, string version, string path, uint apiVersion, uint libraryApiVersion);

    [LoggerMessage(EventId = 1001, Message = "[onnxruntime {Category}] {Message}")]
    public static partial void Native(ILogger logger, LogLevel level, string category, string message);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Execution provider {Provider} is not used: {Reason}")]
    public static partial void ProviderFailed(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Session for {Model} runs on {Provider} (asked for {Requested})")]
    public static partial void ProviderChosen(ILogger logger, string model, string provider, IReadOnlyList<string> requested);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Optimised graph for {Model} loaded from the cache {CachePath}")]
    public static partial void OptimizedModelCacheHit(ILogger logger, string model, string cachePath);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Optimised graph for {Model} written to the cache {CachePath}")]
    public static partial void OptimizedModelCacheWritten(ILogger logger, string model, string cachePath);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "The cached optimised graph {CachePath} could not be used and was removed: {Reason}")]
    public static partial void OptimizedModelCacheDiscarded(ILogger logger, string cachePath, string reason);
}
