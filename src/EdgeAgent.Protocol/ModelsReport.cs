namespace EdgeAgent.Protocol;

/// <summary>
/// The retained <c>models</c> payload (CONTRACT.md section 6): per model name, the active, previous and committed
/// versions, the pin a rollback set, and the update in progress.
/// <c>{"models":{"classifier":{"active":{"version":4,"sha256":".."},"previous":{..},"committed":{..},"pinned":null,
/// "update":{"update_id":"..","version":5,"state":"receiving","progress":0.5,"missing":[[3,7]],"error":null}}},"ts":".."}</c>
/// </summary>
public sealed record ModelsReport
{
    public IReadOnlyDictionary<string, ModelReport> Models { get; init; } = new Dictionary<string, ModelReport>();

    public string? Ts { get; init; }
}

public sealed record ModelReport
{
    public ModelVersionReport? Active { get; init; }

    public ModelVersionReport? Previous { get; init; }

    public ModelVersionReport? Committed { get; init; }

    /// <summary>The version a rollback pinned the model to, until a newer push.</summary>
    public int? Pinned { get; init; }

    public UpdateReport? Update { get; init; }
}

/// <summary>A version in the store and the sha256 of its <c>model.onnx</c>.</summary>
public sealed record ModelVersionReport
{
    public int Version { get; init; }

    public string? Sha256 { get; init; }
}

/// <summary>The update in progress, or the last one, and how far it got.</summary>
public sealed record UpdateReport
{
    public required string UpdateId { get; init; }

    public int? Version { get; init; }

    /// <summary>One of <see cref="UpdateStates"/>.</summary>
    public required string State { get; init; }

    /// <summary>The fraction of the chunks received, 0 to 1.</summary>
    public double Progress { get; init; }

    /// <summary>Chunk indexes not received yet, as inclusive ranges <c>[from, to]</c>.</summary>
    public IReadOnlyList<IReadOnlyList<int>>? Missing { get; init; }

    /// <summary>Why the update was rejected or rolled back.</summary>
    public string? Error { get; init; }
}
