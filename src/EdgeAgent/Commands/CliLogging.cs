using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace EdgeAgent.Commands;

/// <summary>Logging for the one-shot verbs: warnings and worse, one line each, on stderr so stdout stays the result.</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(LogLevel.Warning);
        builder.AddSimpleConsole(options => options.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    });
}
