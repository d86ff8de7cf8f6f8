using System.Globalization;

namespace EdgeAgent.Systemd;

/// <summary>Decides, once at start, whether the agent runs as a systemd service and so logs to journald rather than the console.</summary>
public static class SystemdDetection
{
    /// <summary>
    /// True when systemd started this process (per $JOURNAL_STREAM, $NOTIFY_SOCKET or $INVOCATION_ID) and the journal's
    /// native socket exists at <paramref name="journalSocketPath"/>.
    /// </summary>
    public static bool ShouldLogToJournal(string journalSocketPath = JournalLoggerOptions.DefaultSocketPath) =>
        ShouldLogToJournal(Environment.GetEnvironmentVariable, StandardErrorInode(), Console.IsErrorRedirected, journalSocketPath);

    internal static bool ShouldLogToJournal(Func<string, string?> environment, ulong? stderrInode, bool stderrRedirected, string journalSocketPath) =>
        IsUnderSystemd(environment, stderrInode, stderrRedirected) && File.Exists(journalSocketPath);

    // $JOURNAL_STREAM and $INVOCATION_ID are inherited by every shell a desktop session's systemd starts, so neither
    // alone means "we are the service": JOURNAL_STREAM counts only when it names our own stderr (systemd.exec's advice),
    // INVOCATION_ID only when stderr is not a terminal. $NOTIFY_SOCKET is set only for the service's main process.
    internal static bool IsUnderSystemd(Func<string, string?> environment, ulong? stderrInode, bool stderrRedirected)
    {
        if (!string.IsNullOrEmpty(environment(SystemdNotifier.SocketVariable)))
        {
            return true;
        }

        if (JournalStreamInode(environment("JOURNAL_STREAM")) is { } inode && inode == stderrInode)
        {
            return true;
        }

        return stderrRedirected && !string.IsNullOrEmpty(environment("INVOCATION_ID"));
    }

    /// <summary>The inode of "device:inode" as systemd writes $JOURNAL_STREAM.</summary>
    private static ulong? JournalStreamInode(string? journalStream)
    {
        var colon = journalStream?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0 && ulong.TryParse(journalStream.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
            ? inode
            : null;
    }

    /// <summary>The inode of the socket stderr is connected to, read from procfs as "socket:[inode]"; null for anything else.</summary>
    internal static ulong? StandardErrorInode()
    {
        string? target;
        try
        {
            target = new FileInfo("/proc/self/fd/2").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        const string Prefix = "socket:[";
        return target is not null && target.StartsWith(Prefix, StringComparison.Ordinal) && target.EndsWith(']')
            && ulong.TryParse(target.AsSpan(Prefix.Length, target.Length - Prefix.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
            ? inode
            : null;
    }
}
