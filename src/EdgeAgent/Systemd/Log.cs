using Microsoft.Extensions.Logging;

namespace EdgeAgent.Systemd;

/// <summary>systemd integration log messages; event ids 3000 to 3099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "sd_notify {State} to {Socket} failed: {Error}; further failures are counted, not logged, until a send succeeds")]
    public static partial void NotifyFailed(ILogger logger, string state, string socket, string error);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "sd_notify to {Socket} works again after {Failures} failed sends in all")]
    public static partial void NotifyRecovered(ILogger logger, string socket, long failures);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "systemd watchdog: WATCHDOG=1 every {IntervalMilliseconds} ms while every registered loop beats")]
    public static partial void WatchdogStarted(ILogger logger, double intervalMilliseconds);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Loop {Loop} has been silent for {SilenceMilliseconds} ms, over its {MaxSilenceMilliseconds} ms limit: WATCHDOG=1 withheld, systemd will restart the agent unless it beats again")]
    public static partial void WatchdogWithheld(ILogger logger, string loop, double silenceMilliseconds, double maxSilenceMilliseconds);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Every registered loop beats again: WATCHDOG=1 resumed")]
    public static partial void WatchdogResumed(ILogger logger);
}
