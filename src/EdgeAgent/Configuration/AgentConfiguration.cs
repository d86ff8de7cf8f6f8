using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace EdgeAgent.Configuration;

/// <summary>Reads the configuration file, applies EDGEAGENT__Section__Key overrides, binds and validates it.</summary>
public static class AgentConfiguration
{
    public const string DefaultPath = "/etc/edge-agent/edge-agent.json";
    public const string EnvironmentPrefix = "EDGEAGENT__";

    /// <summary>The bound, validated options.</summary>
    /// <exception cref="ConfigurationException">The file is missing or not JSON, a value does not convert, or validation failed.</exception>
    public static AgentOptions Load(string? path, IDictionary<string, string?>? overrides = null)
    {
        var file = Path.GetFullPath(path ?? DefaultPath);
        if (!File.Exists(file))
        {
            throw new ConfigurationException($"the configuration file {file} does not exist (pass --config PATH)");
        }

        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder()
                .AddJsonFile(file, optional: false, reloadOnChange: false)
                .AddEnvironmentVariables(EnvironmentPrefix)
                .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>())
                .Build();
        }
        catch (InvalidDataException ex)
        {
            throw new ConfigurationException($"{file} is not valid JSON: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException($"{file} is not valid JSON: {ex.Message}", ex);
        }

        var options = new AgentOptions();
        try
        {
            configuration.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message names the value, the key and the type, e.g. "'abc' at 'Mqtt:Port' to type 'System.Int32'".
            throw new ConfigurationException(ex.Message, ex);
        }

        var failures = AgentOptionsValidator.Check(options);
        if (failures.Count > 0)
        {
            throw new ConfigurationException($"{file}: " + string.Join(Environment.NewLine + "  ", failures.Prepend("configuration errors:")));
        }

        return options;
    }
}
