using Microsoft.Extensions.Logging;

namespace EdgeAgent.Updates;

/// <summary>Model store and update log messages; event ids 4600 to 4699. Each runs inside an EA_UPDATE_ID scope where one applies.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4600, Level = LogLevel.Information, Message = "Model {Model} serves version {Version} (sha256 {Sha256})")]
    public static partial void Serving(ILogger logger, string model, int version, string sha256);

    [LoggerMessage(EventId = 4601, Level = LogLevel.Warning, Message = "Model {Model}: {Note}")]
    public static partial void ResolvedWithNote(ILogger logger, string model, string note);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Information, Message = "Update {UpdateId}: offer of {Model} v{Version}, {Size} bytes in {Chunks} chunk(s) accepted")]
    public static partial void OfferAccepted(ILogger logger, string updateId, string model, int version, long size, int chunks);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Warning, Message = "Update {UpdateId} of {Model} rejected: {Reason}")]
    public static partial void Rejected(ILogger logger, string updateId, string model, string reason);

    [LoggerMessage(EventId = 4604, Level = LogLevel.Information, Message = "Update {UpdateId}: {Model} v{Version} activated; probation until {Seconds} s and {Inferences} inference(s)")]
    public static partial void Activated(ILogger logger, string updateId, string model, int version, int seconds, int inferences);

    [LoggerMessage(EventId = 4605, Level = LogLevel.Information, Message = "Model {Model} v{Version} committed")]
    public static partial void Committed(ILogger logger, string model, int version);

    [LoggerMessage(EventId = 4606, Level = LogLevel.Warning, Message = "Model {Model} rolled back from v{From} to v{To}: {Reason}")]
    public static partial void RolledBack(ILogger logger, string model, int from, int to, string reason);

    [LoggerMessage(EventId = 4607, Level = LogLevel.Warning, Message = "Models:RequireSignature is false: unsigned updates and rollbacks are accepted from anyone who may publish to the broker")]
    public static partial void SignaturesNotRequired(ILogger logger);

    [LoggerMessage(EventId = 4608, Level = LogLevel.Information, Message = "Removed stale staging {Path} left by an earlier run")]
    public static partial void StagingRemoved(ILogger logger, string path);

    [LoggerMessage(EventId = 4609, Level = LogLevel.Information, Message = "Update {UpdateId}: resuming the transfer of {Model} v{Version}, {Received} of {Chunks} chunk(s) already here")]
    public static partial void TransferResumed(ILogger logger, string updateId, string model, int version, int received, int chunks);

    [LoggerMessage(EventId = 4610, Level = LogLevel.Information, Message = "Model {Model}: pruned version(s) {Versions}")]
    public static partial void Pruned(ILogger logger, string model, IReadOnlyList<int> versions);

    [LoggerMessage(EventId = 4616, Level = LogLevel.Warning, Message = "Model {Model}: old versions not pruned: {Reason}")]
    public static partial void PruneFailed(ILogger logger, string model, string reason);

    [LoggerMessage(EventId = 4611, Level = LogLevel.Warning, Message = "Ignored a message on {Topic}: {Reason}")]
    public static partial void Ignored(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 4612, Level = LogLevel.Warning, Message = "The models topic was not published: {Reason}")]
    public static partial void ModelsTopicFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4613, Level = LogLevel.Information, Message = "Update {UpdateId}: {Model} v{Version} received and verified; validating")]
    public static partial void Verified(ILogger logger, string updateId, string model, int version);

    [LoggerMessage(EventId = 4614, Level = LogLevel.Information, Message = "Update {UpdateId}: {Model} v{Version} validated, warm latency {LatencyMs:F2} ms (active model {BaselineMs:F2} ms)")]
    public static partial void Validated(ILogger logger, string updateId, string model, int version, double latencyMs, double baselineMs);

    [LoggerMessage(EventId = 4615, Level = LogLevel.Information, Message = "Event {Event} (model {Model} v{Version}): {Reason}")]
    public static partial void ModelEvent(ILogger logger, string @event, string model, int version, string reason);

    [LoggerMessage(EventId = 4618, Level = LogLevel.Information, Message = "Update {UpdateId}: {Model} v{Version} received; queued until the probation of v{OnProbation} ends")]
    public static partial void Queued(ILogger logger, string updateId, string model, int version, int onProbation);

    [LoggerMessage(EventId = 4617, Level = LogLevel.Error, Message = "An update step failed on the device; the serving model stays: {Reason}")]
    public static partial void StepFailed(ILogger logger, string reason);
}
