using Microsoft.Extensions.Logging;

namespace EdgeAgent.Systemd;

/// <summary>
/// Turns one log call into one journal entry: PRIORITY from the level, SYSLOG_IDENTIFIER, LOGGER (the category),
/// EVENT_ID and CODE_FUNC (the [LoggerMessage] method), MESSAGE, the exception's type and text, every structured
/// property of the call's state, and the EA_* properties of the scopes around it, each as its own field.
/// </summary>
internal sealed class JournalLogger(string category, JournalLoggerProvider provider) : ILogger
{
    private const string OriginalFormat = "{OriginalFormat}";
    private const string ScopeFieldPrefix = "EA_";

    // An entry must fit one datagram (Linux lets a Unix datagram grow to about the 208 KiB default send buffer). We cap
    // rather than pass big entries as a sealed memfd: that needs SCM_RIGHTS, which .NET sockets cannot send without
    // hand-written sendmsg interop, and no log line of ours is worth 64 KiB. MESSAGE and the exception come first so
    // properties cannot crowd them out.
    internal const int MaxEntryBytes = 64 * 1024;
    internal const int MaxMessageBytes = 32 * 1024;
    internal const int MaxExceptionBytes = 16 * 1024;
    internal const int MaxPropertyBytes = 1024;

    private static readonly JournalFieldName s_logger = new("LOGGER");
    private static readonly JournalFieldName s_eventId = new("EVENT_ID");
    private static readonly JournalFieldName s_codeFunction = new("CODE_FUNC");
    private static readonly JournalFieldName s_exception = new("EXCEPTION");
    private static readonly JournalFieldName s_exceptionType = new("EXCEPTION_TYPE");

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider.ScopeProvider.Push(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        ArgumentNullException.ThrowIfNull(formatter);
        var message = formatter(state, exception);
        var writer = provider.RentWriter();
        try
        {
            writer.Add(JournalFieldName.Priority, Priority(logLevel));
            writer.Add(JournalFieldName.SyslogIdentifier, provider.SyslogIdentifier, MaxPropertyBytes);
            writer.Add(s_logger, category, MaxPropertyBytes);
            if (eventId.Id != 0)
            {
                writer.Add(s_eventId, eventId.Id);
            }

            if (eventId.Name is { } function)
            {
                writer.Add(s_codeFunction, function, MaxPropertyBytes);
            }

            writer.Add(JournalFieldName.Message, message.Length == 0 && exception is not null ? exception.Message : message, MaxMessageBytes);
            if (exception is not null)
            {
                writer.Add(s_exceptionType, exception.GetType().FullName, MaxPropertyBytes);
                writer.Add(s_exception, exception.ToString(), MaxExceptionBytes);
            }

            if (state is IReadOnlyList<KeyValuePair<string, object?>> properties)
            {
                for (var i = 0; i < properties.Count; i++)
                {
                    var (key, value) = properties[i];
                    if (key != OriginalFormat && provider.FieldFor(key) is { } name)
                    {
                        writer.AddProperty(name, value, MaxPropertyBytes);
                    }
                }
            }

            provider.ScopeProvider.ForEachScope(static (scope, context) => AddScope(scope, context.writer, context.provider), (writer, provider));
            provider.Socket.Send(writer.Entry);
        }
        finally
        {
            provider.ReturnWriter(writer);
        }
    }

    private static void AddScope(object? scope, JournalEntryWriter writer, JournalLoggerProvider provider)
    {
        if (scope is IReadOnlyList<KeyValuePair<string, object?>> list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                AddScopeProperty(list[i].Key, list[i].Value, writer, provider);
            }
        }
        else if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                AddScopeProperty(key, value, writer, provider);
            }
        }
    }

    private static void AddScopeProperty(string key, object? value, JournalEntryWriter writer, JournalLoggerProvider provider)
    {
        if (key.StartsWith(ScopeFieldPrefix, StringComparison.Ordinal) && provider.FieldFor(key) is { } name)
        {
            writer.AddProperty(name, value, MaxPropertyBytes);
        }
    }

    private static ReadOnlySpan<byte> Priority(LogLevel level) => level switch
    {
        LogLevel.Critical => "2"u8,
        LogLevel.Error => "3"u8,
        LogLevel.Warning => "4"u8,
        LogLevel.Information => "6"u8,
        _ => "7"u8,
    };
}
