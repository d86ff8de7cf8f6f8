using System.CommandLine;
using System.Text.Json;
using EdgeAgent.Onnx;
using EdgeAgent.Protocol;

namespace EdgeAgent.Commands;

/// <summary><c>edge-agent providers</c>: the ONNX Runtime version, API version, library path and execution providers.</summary>
internal static class ProvidersCommand
{
    public static Command Create()
    {
        var library = CommonOptions.Library();
        var json = CommonOptions.Json();
        var command = new Command("providers", "Show the ONNX Runtime library in use and which execution providers it can run")
        {
            library,
            json,
        };
        command.SetAction(parsed => Run(parsed.GetValue(library), parsed.GetValue(json)));
        return command;
    }

    private static int Run(string? libraryPath, bool json)
    {
        using var loggerFactory = CliLogging.Create();

        // The probe's expected failures are reported below with their reasons; ONNX Runtime's own copies would only repeat them.
        using var environment = OrtLoader.Open(libraryPath, OrtLogLevel.Fatal, loggerFactory);
        var probes = ExecutionProviders.Probe(environment);
        var report = new ProvidersReport(
            environment.Library.Version,
            OrtLibrary.ApiVersion,
            environment.Library.LibraryApiVersion,
            environment.Library.Path,
            environment.AvailableProviders,
            [.. probes.Select(p => new ProviderReport(p.Name, p.OrtName, p.ListedByLibrary, p.Usable, p.Failure))]);

        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.ProvidersReport));
            return ExitCodes.Success;
        }

        var output = Console.Out;
        output.WriteLine($"ONNX Runtime  {report.Version}");
        output.WriteLine($"API version   {report.ApiVersion} requested (the library offers up to {report.LibraryApiVersion})");
        output.WriteLine($"library       {report.Library}");
        output.WriteLine();
        output.WriteLine($"{"provider",-10} {"in library",-10} {"usable",-6}  reason");
        foreach (var provider in report.Providers)
        {
            output.WriteLine($"{provider.Name,-10} {(provider.Listed ? "yes" : "no"),-10} {(provider.Usable ? "yes" : "no"),-6}  {provider.Reason}");
        }

        var others = report.Available.Except(probes.Select(p => p.OrtName)).ToArray();
        if (others.Length > 0)
        {
            output.WriteLine();
            output.WriteLine($"also in the library (not used by edge-agent): {string.Join(", ", others)}");
        }

        return ExitCodes.Success;
    }
}

internal sealed record ProvidersReport(string Version, uint ApiVersion, uint LibraryApiVersion, string Library, IReadOnlyList<string> Available, IReadOnlyList<ProviderReport> Providers);

internal sealed record ProviderReport(string Name, string OrtName, bool Listed, bool Usable, string? Reason);
