using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeAgent.Models;
using EdgeAgent.Protocol;

namespace EdgeAgent.Updates;

/// <summary>The outcome of checking an offer: the manifest when accepted, else why not.</summary>
/// <summary>
/// The outcome of checking an offer: the manifest when accepted, else why not. <c>Authentic</c> once the signature
/// passed, so that only a genuine offer's update id is remembered as seen.
/// </summary>
internal sealed record OfferVerdict(UpdateManifest? Manifest, string UpdateId, string Model, int Version, string? Reason, bool Authentic = false, bool Replayed = false);

/// <summary>
/// Step 2 of CONTRACT.md section 7 for the manifest itself, before a byte of the bundle is stored: well-formed,
/// names safe for topics and paths, addressed to this device or one of its groups, signed by a trusted key, not a
/// replay, newer than the committed version, and within the size and chunk bounds.
/// </summary>
internal static partial class OfferCheck
{
    /// <summary>The most bytes one chunk may carry (far above any broker's default message limit).</summary>
    public const int MaxChunkBytes = 16 * 1024 * 1024;

    /// <param name="resuming">A transfer a previous run started: its update id is already among those seen.</param>
    public static OfferVerdict Check(ReadOnlySpan<byte> payload, string device, IReadOnlyList<string> groups, TrustedKeys keys, AgentState state, long maxBytes, bool resuming = false)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(state);
        JsonObject document;
        UpdateManifest manifest;
        try
        {
            document = JsonNode.Parse(payload) as JsonObject ?? throw new JsonException("the offer is not a JSON object");
            manifest = document.Deserialize(ProtocolJsonContext.Default.UpdateManifest) ?? throw new JsonException("the offer is null");
        }
        catch (JsonException ex)
        {
            return new OfferVerdict(null, "-", "-", 0, $"the offer is not a valid manifest: {ex.Message}");
        }

        var updateId = manifest.UpdateId;
        var model = manifest.Model.Name;
        var version = manifest.Model.Version;
        if ((NameProblem("update_id", updateId) ?? NameProblem("model name", model)) is { } badName)
        {
            return new OfferVerdict(null, SafeName(updateId), SafeName(model), version, badName);
        }

        var authentic = false;
        OfferVerdict Refuse(string reason, bool replayed = false) => new(null, updateId, model, version, reason, authentic, replayed);

        var target = manifest.Target;
        if (target.Device is not null == target.Group is not null)
        {
            return Refuse("target must name exactly one of a device or a group");
        }

        if (target.Device is { } targetDevice && targetDevice != device)
        {
            return Refuse($"target device '{targetDevice}' is not this device ('{device}')");
        }

        if (target.Group is { } targetGroup && !groups.Contains(targetGroup, StringComparer.Ordinal))
        {
            return Refuse($"target group '{targetGroup}' is not one of this device's groups ({(groups.Count == 0 ? "none" : string.Join(", ", groups))})");
        }

        if (keys.Problem(document) is { } signature)
        {
            return Refuse($"signature refused: {signature}");
        }

        authentic = true;
        var current = state.For(model);
        if (!resuming && current.UpdateIdsSeen.Contains(updateId, StringComparer.Ordinal))
        {
            return Refuse($"update_id {updateId} was already offered (a replay)", replayed: true);
        }

        if (version <= 0)
        {
            return Refuse($"version {version} is not a positive integer");
        }

        if (VersionProblem(version, current.Committed) is { } old)
        {
            return Refuse(old);
        }

        if (manifest.Size <= 0 || manifest.Size > maxBytes)
        {
            return Refuse($"size {manifest.Size} is outside 1..{maxBytes} bytes (Models:MaxBytes)");
        }

        if (manifest.ChunkSize <= 0 || manifest.ChunkSize > MaxChunkBytes)
        {
            return Refuse($"chunk_size {manifest.ChunkSize} is outside 1..{MaxChunkBytes} bytes");
        }

        var expectedChunks = (manifest.Size + manifest.ChunkSize - 1) / manifest.ChunkSize;
        if (manifest.ChunkCount != expectedChunks)
        {
            return Refuse($"chunk_count {manifest.ChunkCount} does not match size {manifest.Size} in chunks of {manifest.ChunkSize} ({expectedChunks})");
        }

        if (!Sha256Pattern().IsMatch(manifest.Sha256))
        {
            return Refuse("sha256 is not 64 lowercase hex digits");
        }

        return new OfferVerdict(manifest, updateId, model, version, null, Authentic: true);
    }

    /// <summary>Null when <paramref name="version"/> is newer than the committed one; going back takes a signed rollback.</summary>
    public static string? VersionProblem(int version, int committed) =>
        version > committed ? null : $"version {version} is not newer than the committed version {committed} (going back takes a signed rollback)";

    /// <summary>Null when <paramref name="value"/> is safe as a topic level and a directory name.</summary>
    public static string? NameProblem(string what, string value) =>
        NamePattern().IsMatch(value) ? null : $"{what} '{SafeName(value)}' must be 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'";

    private static string SafeName(string value) =>
        new([.. value.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
