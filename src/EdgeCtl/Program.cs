using System.CommandLine;
using EdgeAgent.Protocol;
using EdgeCtl.Commands.Keygen;
using EdgeCtl.Commands.Push;
using EdgeCtl.Commands.Rollback;
using EdgeCtl.Commands.Status;
using EdgeCtl.Commands.Watch;

namespace EdgeCtl;

internal static class Program
{
    private const int InterruptedExitCode = 130;

    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("edgectl: pushes signed model updates to edge-agent devices and shows what they run")
        {
            KeygenCommandDefinition.Create(),
            PushCommandDefinition.Create(),
            RollbackCommandDefinition.Create(),
            StatusCommandDefinition.Create(),
            WatchCommandDefinition.Create(),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"edgectl: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'edgectl --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (EdgeCtlException ex)
        {
            await Console.Error.WriteLineAsync($"edgectl: {ex.Message}");
            return ex.ExitCode;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"edgectl: {ex.Message}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the shell's convention for a command interrupted by SIGINT.
            return InterruptedExitCode;
        }
    }
}
