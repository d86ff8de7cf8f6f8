using System.CommandLine;
using EdgeAgent.Commands;

namespace EdgeAgent;

internal static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("edge-agent: runs ONNX models on camera and sensor streams and publishes the results over MQTT")
        {
            CheckCommand.Create(),
            ProvidersCommand.Create(),
            BenchCommand.Create(),
        };

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
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"edge-agent: {ex.Message}");
            return ExitCodes.Usage;
        }
    }
}
