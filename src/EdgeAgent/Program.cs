using System.CommandLine;
using EdgeAgent.Commands;
using EdgeAgent.Protocol;

namespace EdgeAgent;

internal static class Program
{
    public static int Main(string[] args)
    {
        var config = CommonOptions.Config();
        var root = new RootCommand("edge-agent: runs ONNX models on camera and sensor streams and publishes the results over MQTT")
        {
            config,
            RunCommand.Create(config),
            CheckCommand.Create(),
            ProvidersCommand.Create(),
            BenchCommand.Create(),
        };
        root.SetAction((parsed, token) => RunCommand.RunAsync(parsed.GetValue(config)));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine($"edge-agent: {error.Message}");
            }

            Console.Error.WriteLine("Run 'edge-agent --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            // The host handles SIGTERM and SIGINT itself (a graceful stop); System.CommandLine must not race it.
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"edge-agent: {ex.Message}");
            return ExitCodes.Usage;
        }
    }
}
