using Microsoft.Extensions.Logging;

namespace EdgeAgent.Mqtt;

/// <summary>The MQTT client's log messages; event ids 2000 to 2099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Connected to {Endpoint} as {ClientId} (session present: {SessionPresent}, attempt {Attempt})")]
    public static partial void Connected(ILogger logger, string endpoint, string clientId, bool sessionPresent, int attempt);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "{Message}")]
    public static partial void ConnectFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Reconnecting to {Endpoint} in {Delay}")]
    public static partial void Reconnecting(ILogger logger, string endpoint, TimeSpan delay);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Lost the connection to {Endpoint}: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Gave up connecting to {Endpoint}: {Message}")]
    public static partial void GaveUp(ILogger logger, string endpoint, string message);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Disconnected from {Endpoint}")]
    public static partial void Disconnected(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Dropped a message on {Topic}: {Capacity} received messages already wait for their handlers ({Dropped} dropped so far)")]
    public static partial void MessageDropped(ILogger logger, string topic, int capacity, long dropped);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "The handler of {Filter} failed on a message on {Topic}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string filter, string topic);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Error, Message = "The broker refused the subscription {Filter}: {Reason}")]
    public static partial void SubscribeRefused(ILogger logger, string filter, string reason);

    [LoggerMessage(EventId = 2009, Message = "[libmosquitto] {Message}")]
    public static partial void Native(ILogger logger, LogLevel level, string message);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Debug, Message = "Publish to {Topic} (message {Mid}) is queued in libmosquitto until the connection is back")]
    public static partial void QueuedWhileDisconnected(ILogger logger, string topic, int mid);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Error, Message = "The network loop of {ClientId} did not stop within {Timeout}; its native client is left allocated")]
    public static partial void LoopDidNotStop(ILogger logger, string clientId, TimeSpan timeout);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "The network loop of {ClientId} failed")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string clientId);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Error, Message = "Completing an acknowledgement of {ClientId} failed; the others go on")]
    public static partial void DispatchFailed(ILogger logger, Exception exception, string clientId);
}
