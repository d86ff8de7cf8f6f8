namespace EdgeAgent.Systemd;

/// <summary>Where and as whom the journald logger writes.</summary>
public sealed class JournalLoggerOptions
{
    /// <summary>journald's native protocol socket.</summary>
    public const string DefaultSocketPath = "/run/systemd/journal/socket";

    /// <summary>The datagram socket entries are sent to; tests bind their own.</summary>
    public string SocketPath { get; set; } = DefaultSocketPath;

    /// <summary>SYSLOG_IDENTIFIER of every entry, what `journalctl -t` selects.</summary>
    public string SyslogIdentifier { get; set; } = "edge-agent";

    /// <summary>How long a send may wait for a busy journald before the entry is dropped and counted.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromMilliseconds(250);
}
