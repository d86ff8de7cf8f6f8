using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeAgent.Storage;

namespace EdgeAgent.Models;

/// <summary>Reads and atomically replaces <c>state.json</c>.</summary>
public sealed class StateFile(string path)
{
    public string Path { get; } = path;

    /// <summary>The state file of a device configured with <paramref name="options"/>: <c>&lt;state&gt;/state.json</c>.</summary>
    public static StateFile For(Configuration.AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new StateFile(System.IO.Path.Combine(options.Agent.StateDirectory, "state.json"));
    }

    /// <summary>The saved state, or an empty one when there is no file yet.</summary>
    /// <exception cref="InvalidDataException">The file is not a state file; the message names it.</exception>
    public AgentState Load()
    {
        if (!File.Exists(Path))
        {
            return new AgentState();
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(Path), StateJsonContext.Default.AgentState)
                ?? throw new InvalidDataException($"{Path} holds null instead of the agent's state");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{Path} is not a state file: {ex.Message}", ex);
        }
    }

    public void Save(AgentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        AtomicFile.Write(Path, JsonSerializer.SerializeToUtf8Bytes(state, StateJsonContext.Default.AgentState));
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(AgentState))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
