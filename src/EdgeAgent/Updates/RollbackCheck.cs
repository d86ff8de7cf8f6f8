using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Models;
using EdgeAgent.Protocol;

namespace EdgeAgent.Updates;

/// <summary>The outcome of checking a rollback command: the version to go back to, or why not.</summary>
internal sealed record RollbackVerdict(RollbackCommand? Command, string Model, int Version, string? KeyId, DateTimeOffset IssuedAt, string? Reason, bool Replayed = false);

/// <summary>
/// A rollback command (CONTRACT.md section 6) is obeyed only when addressed to this device or one of its groups,
/// signed by a trusted key while signatures are required, newer than the last command accepted from that key, and
/// naming a version this device holds.
/// </summary>
internal static class RollbackCheck
{
    public static RollbackVerdict Check(ReadOnlySpan<byte> payload, string device, IReadOnlyList<string> groups, TrustedKeys keys, AgentState state, ModelStore store)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(store);
        JsonObject document;
        RollbackCommand command;
        try
        {
            document = JsonNode.Parse(payload) as JsonObject ?? throw new JsonException("the command is not a JSON object");
            command = document.Deserialize(UpdateStatusJsonContext.Default.RollbackCommand) ?? throw new JsonException("the command is null");
        }
        catch (JsonException ex)
        {
            return new RollbackVerdict(null, "-", 0, null, default, $"not a valid rollback command: {ex.Message}");
        }

        var model = command.Model;
        if (OfferCheck.NameProblem("model name", model) is { } badName)
        {
            return new RollbackVerdict(null, "-", 0, null, default, badName);
        }

        RollbackVerdict Refuse(string reason, bool replayed = false) => new(null, model, 0, command.KeyId, default, reason, replayed);

        var target = command.Target;
        if (target.Device is not null == target.Group is not null)
        {
            return Refuse("target must name exactly one of a device or a group");
        }

        if ((target.Device is { } targetDevice && targetDevice != device) || (target.Group is { } targetGroup && !groups.Contains(targetGroup, StringComparer.Ordinal)))
        {
            return Refuse($"target {target.Device ?? "group " + target.Group} is not this device ('{device}') or one of its groups");
        }

        if (keys.Problem(document) is { } signature)
        {
            return Refuse($"signature refused: {signature}");
        }

        if (!DateTimeOffset.TryParse(command.IssuedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var issuedAt))
        {
            return Refuse($"issued_at '{command.IssuedAt}' is not a timestamp");
        }

        var keyId = command.Signature is null ? null : command.KeyId;
        if (keyId is not null && state.KeyIssuedAt.TryGetValue(keyId, out var last) && issuedAt <= last)
        {
            return Refuse($"issued_at {command.IssuedAt} is not newer than the last command accepted from key {keyId} ({last:O}): a replay", replayed: true);
        }

        var models = state.For(model);
        int version;
        if (command.To.ValueKind == JsonValueKind.String && command.To.GetString() == "previous")
        {
            version = models.Previous;
            if (version <= 0)
            {
                return Refuse($"model {model} has no previous version to go back to");
            }
        }
        else if (command.To.ValueKind != JsonValueKind.Number || !command.To.TryGetInt32(out version) || version <= 0)
        {
            return Refuse($"'to' must be \"previous\" or a positive version, not {command.To.GetRawText()}");
        }

        if (!store.Has(model, version))
        {
            return Refuse($"model {model} has no version {version} on this device");
        }

        return new RollbackVerdict(command, model, version, keyId, issuedAt, null);
    }
}
