using System.CommandLine;
using EdgeAgent.Configuration;
using EdgeAgent.Daemon;
using EdgeAgent.Systemd;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Commands;

/// <summary><c>edge-agent run</c> (the default verb): the daemon, until SIGTERM or SIGINT.</summary>
internal static class RunCommand
{
    public static Command Create(Option<string?> config)
    {
        var command = new Command("run", "Run the agent (the default): streams in, results out over MQTT")
        {
            config,
        };
        command.SetAction((parsed, token) => RunAsync(parsed.GetValue(config)));
        return command;
    }

    public static async Task<int> RunAsync(string? configPath)
    {
        AgentOptions options;
        try
        {
            options = AgentConfiguration.Load(configPath);
        }
        catch (ConfigurationException ex)
        {
            throw new UsageException(ex.Message);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<IHostLifetime, Microsoft.Extensions.Hosting.Internal.ConsoleLifetime>();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Information);
        if (SystemdDetection.ShouldLogToJournal(options.Agent.JournalSocket))
        {
            builder.Logging.Services.AddSingleton<ILoggerProvider, JournalLoggerProvider>();
            builder.Logging.Services.AddOptions<JournalLoggerOptions>().Configure(o => o.SocketPath = options.Agent.JournalSocket);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AgentService>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<AgentService>());
        using var host = builder.Build();
        var agent = host.Services.GetRequiredService<AgentService>();
        await host.RunAsync();
        return agent.ExitCode;
    }
}
