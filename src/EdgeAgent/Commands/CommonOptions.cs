using System.CommandLine;

namespace EdgeAgent.Commands;

/// <summary>Options more than one verb takes, declared once.</summary>
internal static class CommonOptions
{
    public static Option<string?> Library() => new("--library")
    {
        Description = $"Path to libonnxruntime (a file, or a directory holding {EdgeAgent.Onnx.OrtLibrary.FileName}); default: beside edge-agent, then the system's",
    };

    public static Option<string?> Config() => new("--config")
    {
        Description = $"The configuration file (default {EdgeAgent.Configuration.AgentConfiguration.DefaultPath}); EDGEAGENT__Section__Key variables override it",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print JSON for scripts instead of a table",
    };
}
