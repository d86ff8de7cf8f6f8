using System.Text.Json;
using EdgeAgent.Protocol;
using EdgeCtl.Broker;

namespace EdgeCtl.Commands.Push;

/// <summary>
/// Publishes an update: the offer, every chunk, then <c>done</c>. To a device the messages are plain QoS 1; to a group
/// they are retained, the group's desired state, after the previous update's retained offer, chunks and rollback are cleared.
/// </summary>
internal sealed class UpdateSender(BrokerSession session, SignedUpdate update)
{
    /// <summary>The most chunks a retained offer is believed to have (256 MiB in 1 KiB chunks): a bogus count cannot keep edgectl publishing.</summary>
    private const int MaxChunksCleared = 256 * 1024;

    private readonly Topics _topics = session.Topics;

    public async Task SendToDeviceAsync(string device, CancellationToken cancellationToken)
    {
        await session.PublishAsync(_topics.Offer(device), update.Offer, retain: false, cancellationToken).ConfigureAwait(false);
        await SendChunksAsync(Enumerable.Range(0, update.ChunkCount), i => _topics.Chunk(device, update.UpdateId, i), retain: false, cancellationToken).ConfigureAwait(false);
        await SendDoneAsync(device, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Retains the update for the group, then sends <c>done</c> to each of <paramref name="members"/> so they list what they miss.</summary>
    public async Task SendToGroupAsync(string group, IReadOnlyList<string> members, CancellationToken cancellationToken)
    {
        await ClearGroupAsync(session, group, cancellationToken).ConfigureAwait(false);
        await session.PublishAsync(_topics.GroupOffer(group), update.Offer, retain: true, cancellationToken).ConfigureAwait(false);
        await SendChunksAsync(Enumerable.Range(0, update.ChunkCount), i => _topics.GroupChunk(group, update.UpdateId, i), retain: true, cancellationToken).ConfigureAwait(false);
        foreach (var member in members)
        {
            await SendDoneAsync(member, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends the chunks a device listed as missing to that device alone, then <c>done</c> again.</summary>
    public async Task ResendAsync(string device, IReadOnlyList<int> indexes, CancellationToken cancellationToken)
    {
        await SendChunksAsync(indexes, i => _topics.Chunk(device, update.UpdateId, i), retain: false, cancellationToken).ConfigureAwait(false);
        await SendDoneAsync(device, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the group's retained update (the offer found there and its chunks) and rollback, by retaining empty
    /// payloads on their topics, so a member that connects later sees only what comes next.
    /// </summary>
    public static async Task ClearGroupAsync(BrokerSession session, string group, CancellationToken cancellationToken)
    {
        var topics = session.Topics;
        UpdateManifest? previous = null;
        var offerRetained = false;
        var rollbackRetained = false;
        await session.SubscribeAsync(topics.GroupOffer(group), message =>
        {
            if (message.Retain && !message.Payload.IsEmpty)
            {
                offerRetained = true;
                previous = ReadManifest(message.Payload);
            }
        }, cancellationToken).ConfigureAwait(false);
        await session.SubscribeAsync(topics.GroupRollback(group), message => rollbackRetained |= message.Retain && !message.Payload.IsEmpty, cancellationToken).ConfigureAwait(false);
        await session.SyncAsync(cancellationToken).ConfigureAwait(false);

        if (rollbackRetained)
        {
            await session.PublishAsync(topics.GroupRollback(group), ReadOnlyMemory<byte>.Empty, retain: true, cancellationToken).ConfigureAwait(false);
        }

        if (previous is { ChunkCount: > 0 and <= MaxChunksCleared } manifest && TopicLevel(manifest.UpdateId))
        {
            await Task.WhenAll(Enumerable.Range(0, manifest.ChunkCount)
                .Select(i => session.PublishAsync(topics.GroupChunk(group, manifest.UpdateId, i), ReadOnlyMemory<byte>.Empty, retain: true, cancellationToken))).ConfigureAwait(false);
        }

        if (offerRetained)
        {
            await session.PublishAsync(topics.GroupOffer(group), ReadOnlyMemory<byte>.Empty, retain: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool TopicLevel(string value) => value.Length > 0 && value.AsSpan().IndexOfAny("/+#\0") < 0;

    private Task SendDoneAsync(string device, CancellationToken cancellationToken) =>
        session.PublishAsync(_topics.Done(device, update.UpdateId), update.Done(), retain: false, cancellationToken);

    /// <summary>Publishes all at once; the client bounds how many await their acknowledgement.</summary>
    private Task SendChunksAsync(IEnumerable<int> indexes, Func<int, string> topic, bool retain, CancellationToken cancellationToken) =>
        Task.WhenAll(indexes.Select(i => session.PublishAsync(topic(i), update.Chunk(i), retain, cancellationToken)));

    /// <summary>A retained offer left by an older edgectl or by hand may not parse; with nothing known of it, only the offer is cleared.</summary>
    private static UpdateManifest? ReadManifest(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload.Span, ProtocolJsonContext.Default.UpdateManifest);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
