using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Outbox;
using EdgeAgent.Pipeline;
using EdgeAgent.Sensors;
using EdgeAgent.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Daemon;

/// <summary>
/// The <c>events</c> topic: each event gets the next "events" seq and goes through the outbox (so it survives a
/// restart), and is logged with its EA_EVENT field. Also knows which streams are degraded, for the status.
/// </summary>
internal sealed class AgentEvents(string device, string topic, ILogger logger, TimeProvider time) : ISensorObserver, IAnomalyObserver, IOutboxObserver
{
    private readonly ConcurrentDictionary<string, string> _degraded = new(StringComparer.Ordinal);
    private DurableOutbox? _outbox;

    /// <summary>Streams whose source is lost, with the reason.</summary>
    public IReadOnlyDictionary<string, string> Degraded => _degraded;

    /// <summary>Raised when a stream becomes degraded or recovers.</summary>
    public event Action? StateChanged;

    public void Attach(DurableOutbox outbox) => _outbox = outbox;

    public void SourceLost(string stream, string reason)
    {
        _degraded[stream] = reason;
        Publish("source_lost", reason, stream);
        StateChanged?.Invoke();
    }

    public void SourceRestored(string stream, TimeSpan downtime)
    {
        _degraded.TryRemove(stream, out _);
        Publish("source_restored", $"frames again after {downtime.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s", stream);
        StateChanged?.Invoke();
    }

    public void SamplesLost(string stream, long lostSoFar) =>
        Publish("samples_lost", $"the sample buffer was full: {lostSoFar} sample(s) lost so far", stream);

    public void AnomalyStarted(string stream, float score, float threshold, DateTimeOffset windowStart) =>
        Publish("anomaly_started", $"score {score.ToString("G4", CultureInfo.InvariantCulture)} at or above the threshold {threshold.ToString("G4", CultureInfo.InvariantCulture)} from the window starting {StatusDocument.Timestamp(windowStart)}", stream);

    public void AnomalyEnded(string stream, float score, TimeSpan duration) =>
        Publish("anomaly_ended", $"score {score.ToString("G4", CultureInfo.InvariantCulture)} back below the leave threshold after {duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s", stream);

    public void RecordsDropped(long records, string reason) => Publish("outbox_full", $"{records} oldest record(s) dropped: {reason}", null);

    public void CorruptionFound(string segment, long bytes) => Publish("outbox_corrupt", $"{bytes} byte(s) of a torn or corrupt record cut from {segment}", null);

    public void DiskFull(string reason) => Publish("disk_full", reason, null);

    /// <summary>Queues one event; the outbox's own trouble is only logged when the outbox cannot take it.</summary>
    public void Publish(string name, string reason, string? stream)
    {
        using (logger.BeginScope(new Dictionary<string, object?> { ["EA_EVENT"] = name, ["EA_STREAM"] = stream }))
        {
            Log.Event(logger, name, stream ?? "-", reason);
        }

        if (name != "disk_full")
        {
            Enqueue(name, reason, json =>
            {
                if (stream is not null)
                {
                    json.WriteString("stream", stream);
                }
            });
        }
    }

    /// <summary>Queues a model event (received, rejected, activated, committed, rolled back) naming the model, version and update.</summary>
    public void PublishModel(string name, string reason, ModelEventSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        using (logger.BeginScope(new Dictionary<string, object?>
        {
            ["EA_EVENT"] = name,
            ["EA_MODEL"] = subject.Model,
            ["EA_MODEL_VERSION"] = subject.Version,
            ["EA_UPDATE_ID"] = subject.UpdateId,
        }))
        {
            Updates.Log.ModelEvent(logger, name, subject.Model, subject.Version, reason);
        }

        Enqueue(name, reason, json =>
        {
            json.WriteString("model", subject.Model);
            json.WriteNumber("version", subject.Version);
            if (subject.UpdateId is not null)
            {
                json.WriteString("update_id", subject.UpdateId);
            }

            if (subject.IssuedAt is not null)
            {
                json.WriteString("issued_at", subject.IssuedAt);
            }

            if (subject.Sha256 is not null)
            {
                json.WriteString("sha256", subject.Sha256);
            }
        });
    }

    private void Enqueue(string name, string reason, Action<Utf8JsonWriter> details)
    {
        var outbox = _outbox;
        if (outbox is null)
        {
            return;
        }

        var seq = outbox.NextSeq("events");
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", seq);
            json.WriteString("event", name);
            json.WriteString("reason", reason);
            json.WriteString("device", device);
            details(json);
            json.WriteString("ts", StatusDocument.Timestamp(time.GetUtcNow()));
            json.WriteEndObject();
        }

        outbox.Enqueue("events", seq, topic, 1, buffer.ToArray());
    }
}

/// <summary>What a model event is about.</summary>
/// <param name="IssuedAt">For a rollback command obeyed: its <c>issued_at</c>, so that the sender knows its own command's outcome.</param>
internal sealed record ModelEventSubject(string Model, int Version, string? UpdateId, string? Sha256 = null, string? IssuedAt = null);
