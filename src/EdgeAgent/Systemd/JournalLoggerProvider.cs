using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeAgent.Systemd;

/// <summary>
/// Logs natively to journald (the agent's choice under systemd, see <see cref="SystemdDetection"/>): one datagram per
/// entry with structured fields, so `journalctl -u edge-agent EA_STREAM=door` works. Entry buffers are pooled and field
/// names are validated once per property name; entries that cannot be sent are counted in <see cref="DroppedEntries"/>.
/// </summary>
[ProviderAlias("Journal")]
public sealed class JournalLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    // Property names come from message templates, a fixed set; the cap only guards against scopes with made-up keys.
    private const int MaxCachedFieldNames = 1024;

    private readonly ConcurrentDictionary<string, JournalLogger> _loggers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JournalFieldName?> _fieldNames = new(StringComparer.Ordinal);
    private readonly JournalEntryWriter?[] _writers = new JournalEntryWriter?[Math.Max(2, Environment.ProcessorCount)];

    /// <summary>A provider writing to <see cref="JournalLoggerOptions.SocketPath"/>.</summary>
    public JournalLoggerProvider(IOptions<JournalLoggerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        SyslogIdentifier = settings.SyslogIdentifier;
        Socket = new JournalSocket(settings.SocketPath, settings.SendTimeout);
    }

    /// <summary>Entries journald was not sent: no socket, busy past the send timeout, or the provider disposed.</summary>
    public long DroppedEntries => Socket.Dropped;

    internal string SyslogIdentifier { get; }

    internal JournalSocket Socket { get; }

    internal IExternalScopeProvider ScopeProvider { get; private set; } = new LoggerExternalScopeProvider();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, provider) => new JournalLogger(name, provider), this);

    /// <inheritdoc />
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => ScopeProvider = scopeProvider;

    /// <summary>The journal field for a logging property, or null when none can be made of its name.</summary>
    internal JournalFieldName? FieldFor(string property)
    {
        if (_fieldNames.TryGetValue(property, out var name))
        {
            return name;
        }

        name = JournalFieldName.FromProperty(property);
        if (IsReserved(name))
        {
            name = null;
        }

        if (_fieldNames.Count < MaxCachedFieldNames)
        {
            _fieldNames.TryAdd(property, name);
        }

        return name;
    }

    // The fields every entry sets itself; a property of the same name must not add a second value to them.
    private static bool IsReserved(JournalFieldName? name) =>
        name?.Name is "MESSAGE" or "PRIORITY" or "SYSLOG_IDENTIFIER" or "LOGGER" or "EVENT_ID" or "CODE_FUNC" or "EXCEPTION" or "EXCEPTION_TYPE";

    internal JournalEntryWriter RentWriter()
    {
        for (var i = 0; i < _writers.Length; i++)
        {
            if (Interlocked.Exchange(ref _writers[i], null) is { } writer)
            {
                return writer;
            }
        }

        return new JournalEntryWriter(JournalLogger.MaxEntryBytes);
    }

    internal void ReturnWriter(JournalEntryWriter writer)
    {
        writer.Reset();
        for (var i = 0; i < _writers.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _writers[i], writer, null) is null)
            {
                return;
            }
        }

        writer.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Socket.Dispose();
        for (var i = 0; i < _writers.Length; i++)
        {
            Interlocked.Exchange(ref _writers[i], null)?.Dispose();
        }
    }
}
