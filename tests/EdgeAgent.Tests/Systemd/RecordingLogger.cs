using Microsoft.Extensions.Logging;

namespace EdgeAgent.Tests.Systemd;

/// <summary>Keeps the event id and text of every entry logged to it.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly Lock _lock = new();
    private readonly List<(int EventId, string Message)> _entries = [];

    public IReadOnlyList<int> EventIds
    {
        get
        {
            lock (_lock)
            {
                return _entries.Select(e => e.EventId).ToArray();
            }
        }
    }

    public string MessageOf(int eventId)
    {
        lock (_lock)
        {
            return Assert.Single(_entries, e => e.EventId == eventId).Message;
        }
    }

    public IReadOnlyList<string> MessagesOf(int eventId)
    {
        lock (_lock)
        {
            return [.. _entries.Where(e => e.EventId == eventId).Select(e => e.Message)];
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lock)
        {
            _entries.Add((eventId.Id, formatter(state, exception)));
        }
    }
}
