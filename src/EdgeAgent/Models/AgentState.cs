namespace EdgeAgent.Models;

/// <summary>
/// <c>&lt;state&gt;/state.json</c> (CONTRACT.md section 3): per model the versions and the update history, and per
/// signing key the <c>issued_at</c> of the last command accepted from it.
/// </summary>
public sealed class AgentState
{
    public Dictionary<string, ModelState> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Key id to the last accepted signed command's <c>issued_at</c>; an older or equal one is a replay.</summary>
    public Dictionary<string, DateTimeOffset> KeyIssuedAt { get; set; } = new(StringComparer.Ordinal);

    public ModelState For(string model)
    {
        if (!Models.TryGetValue(model, out var state))
        {
            state = new ModelState();
            Models[model] = state;
        }

        return state;
    }
}

/// <summary>One model's versions; 0 means none.</summary>
public sealed class ModelState
{
    /// <summary>How many update ids are remembered; older ones are forgotten first.</summary>
    public const int UpdateIdsKept = 256;

    /// <summary>The version serving now (on probation when it differs from <see cref="Committed"/>).</summary>
    public int Active { get; set; }

    /// <summary>The version served before <see cref="Active"/>, the target of a rollback to "previous".</summary>
    public int Previous { get; set; }

    /// <summary>The last version that passed probation (or was rolled back to); the one a restart serves.</summary>
    public int Committed { get; set; }

    /// <summary>Set by a rollback: the version to serve until a newer push is committed.</summary>
    public int? Pinned { get; set; }

    /// <summary>When the active version's probation began, or null when none runs.</summary>
    public DateTimeOffset? ProbationSince { get; set; }

    /// <summary>Every update id offered for this model, oldest first, whatever became of it.</summary>
    public List<string> UpdateIdsSeen { get; set; } = [];

    public void Saw(string updateId)
    {
        if (UpdateIdsSeen.Contains(updateId, StringComparer.Ordinal))
        {
            return;
        }

        UpdateIdsSeen.Add(updateId);
        if (UpdateIdsSeen.Count > UpdateIdsKept)
        {
            UpdateIdsSeen.RemoveRange(0, UpdateIdsSeen.Count - UpdateIdsKept);
        }
    }
}
