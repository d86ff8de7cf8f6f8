using System.Threading.Channels;
using EdgeAgent.Configuration;
using EdgeAgent.Daemon;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Updates;

/// <summary>
/// CONTRACT.md section 7 on the device: takes offers, chunks, <c>done</c> and rollback commands one at a time from a
/// bounded inbox, and carries an update from transfer through verification, unpacking, validation, activation and
/// probation to commit or rollback. Every refusal keeps the serving model, publishes <c>model_rejected</c> with the
/// reason and removes what the update had written; the <c>models</c> topic follows every step.
/// </summary>
internal sealed class UpdateManager : IDisposable
{
    /// <summary>After this long without a chunk, the missing ranges are published so the sender resends them.</summary>
    public static readonly TimeSpan ChunkSilence = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan s_progressInterval = TimeSpan.FromMilliseconds(500);

    private readonly AgentOptions _options;
    private readonly ModelStore _store;
    private readonly StateFile _stateFile;
    private readonly AgentState _state;
    private readonly ModelRegistry _registry;
    private readonly ModelValidator _validator;
    private readonly TrustedKeys _keys;
    private readonly AgentEvents _events;
    private readonly ModelsPublisher _models;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<UpdateMessage> _inbox = Channel.CreateBounded<UpdateMessage>(new BoundedChannelOptions(256) { SingleReader = true });
    private readonly Dictionary<string, UpdateProgress> _progress = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, int), string> _sha256 = [];
    private Transfer? _transfer;
    private Probation? _probation;

    public UpdateManager(
        AgentOptions options,
        ModelStore store,
        StateFile stateFile,
        AgentState state,
        ModelRegistry registry,
        ModelValidator validator,
        AgentEvents events,
        ModelsPublisher models,
        ILogger logger,
        TimeProvider time)
    {
        _options = options;
        _store = store;
        _stateFile = stateFile;
        _state = state;
        _registry = registry;
        _validator = validator;
        _keys = new TrustedKeys(options.Models.TrustedKeysPath, options.Models.RequireSignature);
        _events = events;
        _models = models;
        _logger = logger;
        _time = time;
    }

    /// <summary>Called with a group chunk filter to subscribe once a group's offer is accepted.</summary>
    public Action<string>? SubscribeChunks { get; set; }

    private ModelsOptions Models => _options.Models;

    private string Prefix => _options.Mqtt.TopicPrefix;

    /// <summary>The subscriptions the agent makes at start: its own command topics and each group's offer and rollback.</summary>
    public IEnumerable<string> Filters()
    {
        yield return $"{Prefix}/{_options.Device.Id}/cmd/model/#";
        foreach (var group in _options.Device.Groups)
        {
            yield return $"{Prefix}/group/{group}/cmd/model/offer";
            yield return $"{Prefix}/group/{group}/cmd/model/rollback";
        }
    }

    /// <summary>Queues a message from the broker; waits while the inbox is full.</summary>
    public ValueTask ReceiveAsync(string topic, ReadOnlyMemory<byte> payload, bool retained, CancellationToken cancellationToken)
    {
        var message = UpdateMessage.Parse(Prefix, _options.Device.Id, topic, payload, retained, out var problem);
        if (message is null)
        {
            Log.Ignored(_logger, topic, problem!);
            return ValueTask.CompletedTask;
        }

        if (payload.IsEmpty && message.Kind != UpdateMessageKind.Done)
        {
            // A group's retained offer, chunk or rollback being cleared by the next push.
            return ValueTask.CompletedTask;
        }

        return _inbox.Writer.WriteAsync(message, cancellationToken);
    }

    /// <summary>
    /// At start: resumes a transfer a previous run left in staging (its offer is checked again: a key removed since
    /// revokes it) and removes everything else there, such as a half-unpacked bundle.
    /// </summary>
    public void ResumeStaging()
    {
        Directory.CreateDirectory(_store.StagingPath);
        foreach (var directory in Directory.GetDirectories(_store.StagingPath))
        {
            var offer = UpdateTransfer.SavedOffer(directory);
            var verdict = offer is null ? null : OfferCheck.Check(offer, _options.Device.Id, _options.Device.Groups, _keys, _state, Models.MaxBytes, resuming: true);
            if (_transfer is not null || verdict?.Manifest is null)
            {
                Directory.Delete(directory, recursive: true);
                Log.StagingRemoved(_logger, directory);
                continue;
            }

            var unpacked = Path.Combine(directory, "unpacked");
            if (Directory.Exists(unpacked))
            {
                Directory.Delete(unpacked, recursive: true);
            }

            UpdateTransfer files;
            try
            {
                files = UpdateTransfer.Resume(directory, verdict.Manifest);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                Directory.Delete(directory, recursive: true);
                Log.StagingRemoved(_logger, directory);
                continue;
            }

            _transfer = new Transfer(files, offer!, verdict.Manifest.Target.Group, _time.GetUtcNow());
            Log.TransferResumed(_logger, verdict.UpdateId, verdict.Model, verdict.Version, files.ReceivedCount, verdict.Manifest.ChunkCount);
            SubscribeGroupChunks(_transfer);
            Report(_transfer, UpdateStates.Receiving, missing: true);
        }
    }

    /// <summary>Serves the inbox until <paramref name="stopping"/>; once a second it judges probation and chunk silence.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        if (_transfer is { Files.Complete: true } resumed)
        {
            Finish(resumed, stopping);
        }

        PublishModels();
        var next = _time.GetUtcNow() + TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            var wait = next - _time.GetUtcNow();
            using (var tick = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                if (wait > TimeSpan.Zero)
                {
                    tick.CancelAfter(wait);
                    try
                    {
                        if (await _inbox.Reader.WaitToReadAsync(tick.Token))
                        {
                            while (_inbox.Reader.TryRead(out var message))
                            {
                                Guarded(() => Process(message, stopping));
                            }
                        }
                    }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                    {
                    }
                }
            }

            if (_time.GetUtcNow() >= next)
            {
                Guarded(() => Tick(stopping));
                next = _time.GetUtcNow() + TimeSpan.FromSeconds(1);
            }
        }
    }

    /// <summary>A step that failed on the device's side (a full disk, a store version gone) is logged; the loop and the serving model go on.</summary>
    private void Guarded(Action step)
    {
        try
        {
            step();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or OrtException)
        {
            Log.StepFailed(_logger, ex.Message);
        }
    }

    /// <summary>Handles one message (on the update loop).</summary>
    public void Process(UpdateMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message.Kind)
        {
            case UpdateMessageKind.Offer:
                Offer(message);
                break;
            case UpdateMessageKind.Chunk:
                Chunk(message, cancellationToken);
                break;
            case UpdateMessageKind.Done:
                Done(message.UpdateId!);
                break;
            default:
                Rollback(message);
                break;
        }
    }

    /// <summary>Publishes missing ranges after chunk silence and judges probation (on the update loop).</summary>
    public void Tick(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_transfer is { Files.Complete: false, MissingReported: false } transfer && now - transfer.LastChunkAt >= ChunkSilence)
        {
            Report(transfer, UpdateStates.Receiving, missing: true);
        }

        if (_probation is { } probation)
        {
            var (outcome, reason) = probation.Watch.Verdict(now);
            if (outcome == ProbationOutcome.Passed)
            {
                Commit(probation);
                StartQueued(probation.Model, cancellationToken);
            }
            else if (outcome == ProbationOutcome.Failed)
            {
                RollBackProbation(probation, reason!, cancellationToken);
                StartQueued(probation.Model, cancellationToken);
            }
        }
    }

    public void Dispose()
    {
        _transfer?.Files.Dispose();
        _transfer = null;
    }

    private void Offer(UpdateMessage message)
    {
        var verdict = OfferCheck.Check(message.Payload.Span, _options.Device.Id, _options.Device.Groups, _keys, _state, Models.MaxBytes);
        if (verdict.Manifest is null)
        {
            if (verdict.Replayed && message.Retained)
            {
                // A group's retained offer coming again after a reconnect: already handled.
                return;
            }

            if (verdict.Authentic)
            {
                _state.For(verdict.Model).Saw(verdict.UpdateId);
                _stateFile.Save(_state);
            }

            Reject(verdict.Model, verdict.Version, verdict.UpdateId, verdict.Reason!);
            return;
        }

        var manifest = verdict.Manifest;
        if (_transfer is { } previous)
        {
            Abandon(previous, $"superseded by update {verdict.UpdateId}");
        }

        _state.For(verdict.Model).Saw(verdict.UpdateId);
        _stateFile.Save(_state);
        var files = UpdateTransfer.Create(Path.Combine(_store.StagingPath, verdict.UpdateId), manifest, message.Payload.Span);
        _transfer = new Transfer(files, message.Payload.ToArray(), manifest.Target.Group, _time.GetUtcNow());
        using (UpdateScope(verdict.UpdateId))
        {
            Log.OfferAccepted(_logger, verdict.UpdateId, verdict.Model, verdict.Version, manifest.Size, manifest.ChunkCount);
        }

        SubscribeGroupChunks(_transfer);
        Report(_transfer, UpdateStates.Receiving, missing: false);
    }

    private void Chunk(UpdateMessage message, CancellationToken cancellationToken)
    {
        // By update id alone: a group push's missing ranges are resent on this device's own chunk topic.
        if (_transfer is not { } transfer || transfer.UpdateId != message.UpdateId)
        {
            // A chunk of an update already finished (or a group's retained chunks of an older push).
            return;
        }

        if (transfer.Files.Accept(message.Index, message.Payload.Span) is { } problem)
        {
            Abandon(transfer, problem);
            return;
        }

        var now = _time.GetUtcNow();
        transfer.LastChunkAt = now;
        transfer.MissingReported = false;
        if (transfer.Files.Complete)
        {
            FinishOrQueue(transfer, cancellationToken);
        }
        else if (now - transfer.LastReportAt >= s_progressInterval)
        {
            Report(transfer, UpdateStates.Receiving, missing: false);
        }
    }

    private void Done(string updateId)
    {
        if (_transfer is { } transfer && transfer.UpdateId == updateId)
        {
            Report(transfer, transfer.Files.Complete ? UpdateStates.Queued : UpdateStates.Receiving, missing: !transfer.Files.Complete);
        }
        else
        {
            // Finished already (or never offered): the models topic says how it ended.
            PublishModels();
        }
    }

    /// <summary>
    /// A complete transfer goes on to verification, unless a version of the same model is on probation: then it waits,
    /// queued, until that probation ends one way or the other (a newer offer meanwhile supersedes it).
    /// </summary>
    private void FinishOrQueue(Transfer transfer, CancellationToken cancellationToken)
    {
        var manifest = transfer.Files.Manifest;
        if (_probation is { } probation && probation.Model == manifest.Model.Name)
        {
            using (UpdateScope(transfer.UpdateId))
            {
                Log.Queued(_logger, transfer.UpdateId, manifest.Model.Name, manifest.Model.Version, probation.Version);
            }

            Report(transfer, UpdateStates.Queued, missing: false);
            return;
        }

        Finish(transfer, cancellationToken);
    }

    /// <summary>Once <paramref name="model"/>'s probation ended: the update queued behind it starts, if still newer than the committed version.</summary>
    private void StartQueued(string model, CancellationToken cancellationToken)
    {
        if (_transfer is not { Files.Complete: true } queued || queued.Files.Manifest.Model.Name != model)
        {
            return;
        }

        if (OfferCheck.VersionProblem(queued.Files.Manifest.Model.Version, _state.For(model).Committed) is { } stale)
        {
            Abandon(queued, stale);
            return;
        }

        Finish(queued, cancellationToken);
    }

    private void Finish(Transfer transfer, CancellationToken cancellationToken)
    {
        var manifest = transfer.Files.Manifest;
        var (name, version) = (manifest.Model.Name, manifest.Model.Version);
        Report(transfer, UpdateStates.Validating, missing: false);
        InferenceSession? session = null;
        string? installed = null;
        ServedModel served;
        ProbationWatch watch;
        PreparedVersion prepared;
        try
        {
            if (transfer.Files.VerifyContent() is { } mismatch)
            {
                throw new UpdateRejectedException(mismatch);
            }

            var unpacked = BundleUnpacker.Unpack(transfer.Files, transfer.Offer, Models.MaxBytes);
            _events.PublishModel("model_received", $"{manifest.Size} bytes verified (sha256 {manifest.Sha256})", new ModelEventSubject(name, version, transfer.UpdateId));
            using (UpdateScope(transfer.UpdateId))
            {
                Log.Verified(_logger, transfer.UpdateId, name, version);
            }

            var validated = _validator.Validate(ModelPackage.Open(name, version, unpacked), _registry.Current(name)?.Session, cancellationToken);
            session = validated.Session;
            using (UpdateScope(transfer.UpdateId))
            {
                Log.Validated(_logger, transfer.UpdateId, name, version, validated.LatencyMs, validated.BaselineMs);
            }

            installed = _store.Install(name, version, unpacked);
            served = new ServedModel(validated.Package with { Directory = installed }, session);
            watch = new ProbationWatch(Models.Probation, validated.BaselineMs, _time.GetUtcNow());
            try
            {
                prepared = _registry.Prepare(served, watch);
            }
            catch (Exception ex) when (ex is InvalidDataException or OrtException)
            {
                throw new UpdateRejectedException(ex.Message, ex);
            }
        }
        catch (Exception ex) when (ex is UpdateRejectedException or InvalidDataException or IOException)
        {
            session?.Dispose();
            if (installed is not null && Directory.Exists(installed))
            {
                Directory.Delete(installed, recursive: true);
            }

            Abandon(transfer, ex.Message);
            return;
        }

        transfer.Files.Discard();
        _transfer = null;
        Activate(transfer.UpdateId, served, prepared, watch);
    }

    private void Activate(string updateId, ServedModel served, PreparedVersion prepared, ProbationWatch watch)
    {
        var package = served.Package;
        var state = _state.For(package.Name);
        state.Previous = state.Active;
        state.Active = package.Version;
        state.ProbationSince = watch.Started;
        _stateFile.Save(_state);
        _registry.Activate(served, prepared);
        _sha256[(package.Name, package.Version)] = package.Sha256;
        var probation = Models.Probation;
        using (UpdateScope(updateId))
        {
            Log.Activated(_logger, updateId, package.Name, package.Version, probation.Seconds, probation.MinInferences);
        }

        _events.PublishModel("model_activated", $"serving on {prepared.Count} stream(s); probation for {probation.Seconds} s and {probation.MinInferences} inference(s)", new ModelEventSubject(package.Name, package.Version, updateId, package.Sha256));
        var current = new Probation(package.Name, package.Version, updateId, watch);
        if (prepared.Count == 0)
        {
            // No stream runs it, so there is nothing to watch: validation is all the evidence there will be.
            Commit(current);
            return;
        }

        _probation = current;
        SetProgress(package.Name, new UpdateProgress { UpdateId = updateId, Version = package.Version, State = UpdateStates.Probation, Progress = 1 });
    }

    private void Commit(Probation probation)
    {
        _probation = null;
        var state = _state.For(probation.Model);
        state.Committed = probation.Version;
        state.Pinned = null;
        state.ProbationSince = null;
        _stateFile.Save(_state);
        Log.Committed(_logger, probation.Model, probation.Version);
        _events.PublishModel("model_committed", $"probation passed after {probation.Watch.Inferences} inference(s) and {probation.Watch.Errors} error(s)", new ModelEventSubject(probation.Model, probation.Version, probation.UpdateId, _registry.Current(probation.Model)?.Package.Sha256));
        Prune(probation.Model, state);
        SetProgress(probation.Model, new UpdateProgress { UpdateId = probation.UpdateId, Version = probation.Version, State = UpdateStates.Committed, Progress = 1 });
    }

    private void RollBackProbation(Probation probation, string reason, CancellationToken cancellationToken)
    {
        _probation = null;
        var state = _state.For(probation.Model);
        var target = state.Committed;
        SwitchTo(probation.Model, target, cancellationToken);
        state.Previous = probation.Version;
        state.Active = target;
        state.ProbationSince = null;
        _stateFile.Save(_state);
        using (UpdateScope(probation.UpdateId))
        {
            Log.RolledBack(_logger, probation.Model, probation.Version, target, reason);
        }

        _events.PublishModel("model_rolled_back", reason, new ModelEventSubject(probation.Model, probation.Version, probation.UpdateId));
        SetProgress(probation.Model, new UpdateProgress { UpdateId = probation.UpdateId, Version = probation.Version, State = UpdateStates.RolledBack, Progress = 1, Error = reason });
    }

    private void Rollback(UpdateMessage message)
    {
        var verdict = RollbackCheck.Check(message.Payload.Span, _options.Device.Id, _options.Device.Groups, _keys, _state, _store);
        if (verdict.Command is null)
        {
            if (!(verdict.Replayed && message.Retained))
            {
                Reject(verdict.Model, 0, null, $"rollback refused: {verdict.Reason}");
            }

            return;
        }

        var (model, version) = (verdict.Model, verdict.Version);
        var state = _state.For(model);
        if (_transfer is { } transfer && transfer.Files.Manifest.Model.Name == model)
        {
            Abandon(transfer, "a rollback command arrived for the same model");
        }

        var from = state.Active;
        _probation = _probation?.Model == model ? null : _probation;
        try
        {
            SwitchTo(model, version, CancellationToken.None);
        }
        catch (Exception ex) when (ex is InvalidDataException or OrtException)
        {
            Reject(model, version, null, $"rollback refused: version {version} cannot serve: {ex.Message}");
            return;
        }

        state.Previous = from == version ? state.Previous : from;
        state.Active = version;
        state.Committed = version;
        state.Pinned = version;
        state.ProbationSince = null;
        if (verdict.KeyId is not null)
        {
            _state.KeyIssuedAt[verdict.KeyId] = verdict.IssuedAt;
        }

        _stateFile.Save(_state);
        var reason = $"rollback command (key {verdict.KeyId ?? "unsigned"}, issued {verdict.Command.IssuedAt}) from v{from} to v{version}; pinned until a newer push";
        Log.RolledBack(_logger, model, from, version, reason);
        _events.PublishModel("model_rolled_back", reason, new ModelEventSubject(model, version, null, _registry.Current(model)?.Package.Sha256, verdict.Command.IssuedAt));
        PublishModels();
    }

    /// <summary>Serves a known-good version of <paramref name="model"/> on every stream (no validation: it served before).</summary>
    private void SwitchTo(string model, int version, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_registry.Current(model) is { } current && current.Package.Version == version)
        {
            _registry.Activate(current, _registry.Prepare(current, watch: null));
            return;
        }

        var package = _store.Open(model, version);
        var served = _registry.Open(package);
        PreparedVersion prepared;
        try
        {
            prepared = _registry.Prepare(served, watch: null);
        }
        catch
        {
            served.Release();
            throw;
        }

        _registry.Activate(served, prepared);
        _sha256[(model, version)] = package.Sha256;
    }

    private void Prune(string model, ModelState state)
    {
        try
        {
            var removed = _store.Prune(model, state);
            if (removed.Count > 0)
            {
                Log.Pruned(_logger, model, removed);
            }
        }
        catch (IOException ex)
        {
            Log.PruneFailed(_logger, model, ex.Message);
        }
    }

    /// <summary>Drops a transfer and everything it wrote, and reports why.</summary>
    private void Abandon(Transfer transfer, string reason)
    {
        transfer.Files.Discard();
        if (_transfer == transfer)
        {
            _transfer = null;
        }

        var manifest = transfer.Files.Manifest;
        Reject(manifest.Model.Name, manifest.Model.Version, transfer.UpdateId, reason);
    }

    private void Reject(string model, int version, string? updateId, string reason)
    {
        using (UpdateScope(updateId))
        {
            Log.Rejected(_logger, updateId ?? "-", model, reason);
        }

        _events.PublishModel("model_rejected", reason, new ModelEventSubject(model, version, updateId));
        if (updateId is not null && OfferCheck.NameProblem("model", model) is null)
        {
            SetProgress(model, new UpdateProgress { UpdateId = updateId, Version = version, State = UpdateStates.Rejected, Error = reason });
        }
        else
        {
            PublishModels();
        }
    }

    private void Report(Transfer transfer, string state, bool missing)
    {
        transfer.LastReportAt = _time.GetUtcNow();
        transfer.MissingReported |= missing;
        var manifest = transfer.Files.Manifest;
        SetProgress(manifest.Model.Name, new UpdateProgress
        {
            UpdateId = transfer.UpdateId,
            Version = manifest.Model.Version,
            State = state,
            Progress = Math.Round(transfer.Files.Progress, 4),
            Missing = missing ? transfer.Files.Missing() : null,
        });
    }

    private void SetProgress(string model, UpdateProgress progress)
    {
        _progress[model] = progress;
        PublishModels();
    }

    private void PublishModels()
    {
        var models = new SortedDictionary<string, ModelStatus>(StringComparer.Ordinal);
        foreach (var name in _state.Models.Keys.Concat(_progress.Keys).Distinct())
        {
            var state = _state.For(name);
            models[name] = new ModelStatus
            {
                Active = Version(name, state.Active),
                Previous = Version(name, state.Previous),
                Committed = Version(name, state.Committed),
                Pinned = state.Pinned,
                Update = _progress.GetValueOrDefault(name),
            };
        }

        _models.Update(new ModelsDocument { Device = _options.Device.Id, Models = models, Ts = StatusDocument.Timestamp(_time.GetUtcNow()) });
    }

    private ModelVersion? Version(string model, int version)
    {
        if (version <= 0)
        {
            return null;
        }

        if (!_sha256.TryGetValue((model, version), out var sha256))
        {
            try
            {
                sha256 = _store.Open(model, version).Sha256;
            }
            catch (InvalidDataException)
            {
                return null;
            }

            _sha256[(model, version)] = sha256;
        }

        return new ModelVersion { Version = version, Sha256 = sha256 };
    }

    private void SubscribeGroupChunks(Transfer transfer)
    {
        if (transfer.Group is { } group)
        {
            SubscribeChunks?.Invoke($"{Prefix}/group/{group}/cmd/model/chunk/{transfer.UpdateId}/+");
        }
    }

    private IDisposable? UpdateScope(string? updateId) =>
        updateId is null ? null : _logger.BeginScope(new Dictionary<string, object?> { ["EA_UPDATE_ID"] = updateId });

    /// <summary>The update being received.</summary>
    private sealed class Transfer(UpdateTransfer files, byte[] offer, string? group, DateTimeOffset started)
    {
        public UpdateTransfer Files { get; } = files;

        public byte[] Offer { get; } = offer;

        public string? Group { get; } = group;

        public string UpdateId => Files.Manifest.UpdateId;

        public DateTimeOffset LastChunkAt { get; set; } = started;

        public DateTimeOffset LastReportAt { get; set; } = started;

        public bool MissingReported { get; set; }
    }

    /// <summary>The version on probation.</summary>
    private sealed record Probation(string Model, int Version, string UpdateId, ProbationWatch Watch);
}
