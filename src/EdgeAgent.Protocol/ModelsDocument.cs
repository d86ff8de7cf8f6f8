using System.Text.Json.Serialization;

namespace EdgeAgent.Protocol;

/// <summary>The retained <c>&lt;prefix&gt;/&lt;device&gt;/models</c> payload (CONTRACT.md section 6).</summary>
public sealed record ModelsDocument
{
    public required string Device { get; init; }

    /// <summary>Per model name.</summary>
    public required IReadOnlyDictionary<string, ModelStatus> Models { get; init; }

    public required string Ts { get; init; }
}

/// <summary>One model's versions and the update in progress (or the last one, with its outcome).</summary>
public sealed record ModelStatus
{
    public ModelVersion? Active { get; init; }

    public ModelVersion? Previous { get; init; }

    public ModelVersion? Committed { get; init; }

    /// <summary>The version a rollback pinned, until a newer push is committed.</summary>
    public int? Pinned { get; init; }

    public UpdateProgress? Update { get; init; }
}

public sealed record ModelVersion
{
    public int Version { get; init; }

    /// <summary>Of the version's model.onnx.</summary>
    public required string Sha256 { get; init; }
}

/// <summary>Where an update stands on the device.</summary>
public sealed record UpdateProgress
{
    public required string UpdateId { get; init; }

    public int Version { get; init; }

    /// <summary>One of <see cref="UpdateStates"/>.</summary>
    public required string State { get; init; }

    /// <summary>0 to 1: the share of chunks received.</summary>
    public double Progress { get; init; }

    /// <summary>Inclusive ranges of chunk indexes not yet received, after <c>done</c> or 5 s without a chunk.</summary>
    public IReadOnlyList<int[]>? Missing { get; init; }

    /// <summary>Why the update was rejected or rolled back.</summary>
    public string? Error { get; init; }
}

/// <summary>The states an update passes through; the last three are final.</summary>
public static class UpdateStates
{
    public const string Receiving = "receiving";
    /// <summary>Received whole while another version of the model is on probation; it goes on when that probation ends.</summary>
    public const string Queued = "queued";

    public const string Validating = "validating";
    public const string Probation = "probation";
    public const string Committed = "committed";
    public const string Rejected = "rejected";
    public const string RolledBack = "rolled_back";

    /// <summary>Whether an update in <paramref name="state"/> has ended, one way or the other.</summary>
    public static bool IsFinal(string state) => state is Committed or Rejected or RolledBack;
}

/// <summary>A signed rollback command (CONTRACT.md section 6): back to the previous version or to a named one.</summary>
public sealed record RollbackCommand
{
    public required string Model { get; init; }

    /// <summary><c>"previous"</c> or a version number.</summary>
    public required System.Text.Json.JsonElement To { get; init; }

    public required UpdateTarget Target { get; init; }

    public required string IssuedAt { get; init; }

    public string? KeyId { get; init; }

    public string? Signature { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ModelsDocument))]
[JsonSerializable(typeof(RollbackCommand))]
public sealed partial class UpdateStatusJsonContext : JsonSerializerContext;
