using System.Collections.Concurrent;
using EdgeAgent.Testing;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Onnx.Tests;

/// <summary>The process's one ONNX Runtime environment over the pinned library, with its log captured.</summary>
public sealed class OrtFixture : IDisposable
{
    public OrtFixture()
    {
        Library = OrtLibrary.Load();
        Environment = OrtEnvironment.Create(Library, OrtLogLevel.Warning, new CapturingLoggerFactory(Log));
    }

    public OrtLibrary Library { get; }

    public OrtEnvironment Environment { get; }

    /// <summary>Every line logged through the environment's logger factory, ONNX Runtime's own included.</summary>
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Log { get; } = new();

    public static string TestModel(string name) => Path.Combine(TestPaths.TestModels, name);

    public InferenceSession Open(string path, InferenceSessionOptions? options = null) =>
        Environment.CreateSession(path, options ?? new InferenceSessionOptions { IntraOpThreads = 1 });

    public void Dispose() => Environment.Dispose();

    private sealed class CapturingLoggerFactory(ConcurrentQueue<(string, LogLevel, string)> log) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, log);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<(string, LogLevel, string)> log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Enqueue((category, logLevel, formatter(state, exception)));
    }
}

[CollectionDefinition(Name)]
public sealed class OrtGroup : ICollectionFixture<OrtFixture>
{
    public const string Name = "ONNX Runtime";
}
