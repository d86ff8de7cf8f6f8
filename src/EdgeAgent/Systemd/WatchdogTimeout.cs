using System.Globalization;

namespace EdgeAgent.Systemd;

/// <summary>Reads the watchdog timeout systemd hands a service in $WATCHDOG_USEC and $WATCHDOG_PID.</summary>
public static class WatchdogTimeout
{
    /// <summary>The timeout for this process, or null when systemd set no watchdog or set it for another process.</summary>
    public static TimeSpan? FromEnvironment() =>
        Parse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);

    /// <summary>
    /// The timeout in <paramref name="microseconds"/>, when <paramref name="pid"/> is unset or names
    /// <paramref name="processId"/>: a child that inherited the variables must not feed its parent's watchdog.
    /// </summary>
    internal static TimeSpan? Parse(string? microseconds, string? pid, int processId)
    {
        if (!ulong.TryParse(microseconds, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec == 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(pid)
            && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var owner) || owner != processId))
        {
            return null;
        }

        // systemd writes infinity as UINT64_MAX; anything past what TimeSpan holds is no deadline at all.
        return usec > (ulong)(TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMicrosecond)
            ? null
            : TimeSpan.FromMicroseconds(usec);
    }
}
