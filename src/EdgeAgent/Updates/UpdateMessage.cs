using System.Globalization;

namespace EdgeAgent.Updates;

/// <summary>What arrived on one of the <c>cmd/model</c> topics (CONTRACT.md section 6).</summary>
internal enum UpdateMessageKind
{
    Offer,
    Chunk,
    Done,
    Rollback,
}

/// <summary>One command message; <see cref="Group"/> is set when it came on a group's topic.</summary>
internal sealed record UpdateMessage(UpdateMessageKind Kind, ReadOnlyMemory<byte> Payload, string? Group, string? UpdateId = null, int Index = -1, bool Retained = false)
{
    /// <summary>
    /// The message on <paramref name="topic"/>, or null when the topic is none of ours (or a chunk index is not a
    /// number); the reason is set then.
    /// </summary>
    public static UpdateMessage? Parse(string prefix, string device, string topic, ReadOnlyMemory<byte> payload, bool retained, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(topic);
        problem = null;
        if (!topic.StartsWith(prefix + "/", StringComparison.Ordinal))
        {
            problem = "not under the topic prefix";
            return null;
        }

        var levels = topic[(prefix.Length + 1)..].Split('/');
        string? group = null;
        int at;
        if (levels.Length >= 4 && levels[0] == "group" && levels[2] == "cmd" && levels[3] == "model")
        {
            group = levels[1];
            at = 4;
        }
        else if (levels.Length >= 3 && levels[0] == device && levels[1] == "cmd" && levels[2] == "model")
        {
            at = 3;
        }
        else
        {
            problem = "not a model command topic";
            return null;
        }

        var rest = levels[at..];
        switch (rest)
        {
            case ["offer"]:
                return new UpdateMessage(UpdateMessageKind.Offer, payload, group, Retained: retained);
            case ["rollback"]:
                return new UpdateMessage(UpdateMessageKind.Rollback, payload, group, Retained: retained);
            case ["done", var doneId] when group is null:
                return new UpdateMessage(UpdateMessageKind.Done, payload, group, doneId, Retained: retained);
            case ["chunk", var chunkId, var index]:
                if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    problem = $"chunk index '{index}' is not a non-negative integer";
                    return null;
                }

                return new UpdateMessage(UpdateMessageKind.Chunk, payload, group, chunkId, number, retained);
            default:
                problem = "not a model command topic";
                return null;
        }
    }
}
