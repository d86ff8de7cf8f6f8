using System.Reflection;
using EdgeAgent.Configuration;
using EdgeAgent.Models;
using EdgeAgent.Mqtt;
using EdgeAgent.Onnx;
using EdgeAgent.Outbox;
using EdgeAgent.Pipeline;
using EdgeAgent.Protocol;
using EdgeAgent.Sensors;
using EdgeAgent.Sources;
using EdgeAgent.Systemd;
using EdgeAgent.Updates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Daemon;

/// <summary>
/// The daemon: loads every stream's model, starts its source and pipeline, publishes results and events through the
/// outbox and the retained status over MQTT (connecting whenever the broker allows), tells systemd it is ready, and
/// keeps the watchdog fed only while every pipeline makes progress or is merely waiting on a source in backoff.
/// </summary>
internal sealed partial class AgentService(AgentOptions options, ILoggerFactory loggerFactory, TimeProvider time, IHostApplicationLifetime lifetime) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("EdgeAgent");

    /// <summary>0, or why the agent could not run (1: a model or source failed to start; 2: configuration).</summary>
    public int ExitCode { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var device = options.Device.Id;
        var topics = new Topics(options.Mqtt.TopicPrefix);
        var events = new AgentEvents(device, topics.Events(device), _logger, time);
        using var notifier = SystemdNotifier.FromEnvironment(_logger);
        OrtEnvironment environment;
        try
        {
            environment = OrtEnvironment.Create(OrtLibrary.Load(options.Inference.LibraryPath), OrtLogLevel.Warning, loggerFactory);
        }
        catch (OrtLibraryLoadException ex)
        {
            Fail(2, $"Inference:LibraryPath: {ex.Message}");
            return;
        }

        using (environment)
        {
            Directory.CreateDirectory(options.Agent.StateDirectory);
            var outbox = new DurableOutbox(
                new OutboxSettings
                {
                    Directory = options.Outbox.Path ?? Path.Combine(options.Agent.StateDirectory, "outbox"),
                    SequenceFile = Path.Combine(options.Agent.StateDirectory, "seq.json"),
                    MaxBytes = options.Outbox.MaxBytes,
                },
                events,
                loggerFactory.CreateLogger("EdgeAgent.Outbox"),
                time);
            outbox.Open();
            events.Attach(outbox);
            await using (outbox)
            {
                await RunAsync(environment, outbox, events, topics, notifier, stopping);
            }
        }
    }

    private async Task RunAsync(OrtEnvironment environment, DurableOutbox outbox, AgentEvents events, Topics topics, SystemdNotifier notifier, CancellationToken stopping)
    {
        var device = options.Device.Id;
        var models = options.Models;
        var store = ModelStore.For(options);
        var stateFile = StateFile.For(options);
        var sessionOptions = new InferenceSessionOptions
        {
            IntraOpThreads = options.Inference.IntraOpThreads,
            Providers = options.Inference.Providers.Count > 0 ? options.Inference.Providers : [ExecutionProviders.Cpu],
            OptimizedModelCacheDirectory = options.Agent.CacheDirectory,
        };
        if (!models.RequireSignature)
        {
            Updates.Log.SignaturesNotRequired(_logger);
        }

        using var registry = new ModelRegistry(environment, sessionOptions, device);
        var streams = new List<RunningStream>();
        AgentState state;
        try
        {
            state = stateFile.Load();
            LoadModels(store, state, registry, events);
            stateFile.Save(state);
            foreach (var stream in options.Streams)
            {
                streams.Add(StartStream(stream, registry, outbox, topics, events));
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or OrtException or ArgumentException or IOException)
        {
            Fail(1, ex.Message);
            await StopStreamsAsync(streams);
            return;
        }

        var status = new StatusDocument(
            Version,
            time.GetUtcNow(),
            options.Device.Groups,
            [.. streams.Select(s => s.Provider).Distinct()],
            [.. options.Streams.Select(s => s.Name)]);
        var statusTopic = topics.Status(device);
        await using var client = new MqttClient(ClientOptions(statusTopic, status), loggerFactory.CreateLogger("EdgeAgent.Mqtt"), time);
        client.Start();
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var liveness = new LivenessMonitor(time);
        using var watchdog = new SystemdWatchdog(notifier, liveness, WatchdogTimeout.FromEnvironment(), time, _logger);
        var telemetry = new TelemetryPublisher(device, topics.Telemetry(device), streams, outbox, client, time);
        using var modelsTopic = new ModelsPublisher(topics.Models(device), _logger);
        var validator = new ModelValidator(environment, sessionOptions, models.Probation.MaxLatencyFactor);
        using var updates = new UpdateManager(options, store, stateFile, state, registry, validator, events, modelsTopic, _logger, time);
        updates.SubscribeChunks = filter => _ = SubscribeAsync(client, filter, updates, running.Token);
        updates.ResumeStaging();
        foreach (var filter in updates.Filters())
        {
            await SubscribeAsync(client, filter, updates, running.Token);
        }

        var publishing = outbox.PublishAsync(client, running.Token);
        var tasks = new List<Task>
        {
            updates.RunAsync(running.Token),
            modelsTopic.RunAsync(client, running.Token),
            publishing,
            PublishStatusAsync(client, statusTopic, status, events, running.Token),
            telemetry.RunAsync(running.Token),
            SuperviseAsync(streams, liveness, running.Token),
        };
        tasks.AddRange(streams.Select(s => s.Pipeline.RunAsync(running.Token)));

        notifier.NotifyReady();
        notifier.NotifyStatus($"{streams.Count} stream(s) running; results on {topics.Results(device, "+")}");
        watchdog.Start();
        var resultsTopic = topics.Results(device, "#");
        Log.Started(_logger, Version, device, streams.Count, resultsTopic);
        try
        {
            await Task.WhenAny(tasks).ConfigureAwait(false);
        }
        finally
        {
            Log.Stopping(_logger);
            notifier.NotifyStopping();
            await running.CancelAsync();
            await Task.WhenAll(tasks.Where(t => t != publishing).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            await StopStreamsAsync(streams);
            await PublishOfflineAsync(client, statusTopic, status);

            // The outbox may be waiting for a PUBACK that a broker which is down will never send: stopping the client
            // ends that wait without acknowledging, so the record stays queued for the next start.
            await client.DisposeAsync();
            await publishing.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Loads the version each stream's model serves (the last committed, else the highest bundled).</summary>
    private void LoadModels(ModelStore store, AgentState state, ModelRegistry registry, AgentEvents events)
    {
        foreach (var name in options.Streams.Select(s => s.Model).Distinct(StringComparer.Ordinal))
        {
            var models = state.For(name);
            var onProbation = models.ProbationSince is not null && models.Active != models.Committed ? models.Active : 0;
            var (version, note) = store.Resolve(name, models);
            if (note is not null)
            {
                Updates.Log.ResolvedWithNote(_logger, name, note);
            }

            if (onProbation > 0 && version != onProbation)
            {
                // The process died during probation: that version never passed it, so it counts as rolled back.
                events.PublishModel("model_rolled_back", note ?? $"the agent stopped during the probation of v{onProbation}", new ModelEventSubject(name, onProbation, null));
            }

            var package = store.Open(name, version);
            registry.Load(package);
            Updates.Log.Serving(_logger, name, version, package.Sha256);
        }
    }

    private RunningStream StartStream(StreamOptions stream, ModelRegistry registry, DurableOutbox outbox, Topics topics, AgentEvents events)
    {
        var served = registry.Current(stream.Model)!;
        if (stream.Source.Type == "sensor")
        {
            return StartSensorStream(stream, registry, served, outbox, topics, events);
        }

        var settings = Commands.CheckCommand.CameraSettingsFrom(stream.Source);
        var serving = registry.Serve(served, stream, settings.Geometry, watch: null);
        var source = new CameraSource(stream.Name, settings, events, loggerFactory.CreateLogger("EdgeAgent.Sources"), time);
        var pipeline = new StreamPipeline(
            stream.Name,
            source,
            serving,
            new PublishPolicy(stream.Publish, (float)stream.MinScore),
            new FrameThrottle(stream.MaxFps, time),
            new OutboxResultSink(outbox, topics, options.Device.Id, options.Mqtt.Qos),
            loggerFactory.CreateLogger("EdgeAgent.Pipeline"));
        registry.Attach(pipeline, stream, settings.Geometry);
        source.Start();
        return new RunningStream(stream.Name, source, pipeline, served.Session.Providers.Chosen);
    }

    /// <summary>Subscribes one command filter; its messages queue for the update loop.</summary>
    private async Task SubscribeAsync(MqttClient client, string filter, UpdateManager updates, CancellationToken stopping)
    {
        try
        {
            await client.SubscribeAsync(filter, MqttQos.AtLeastOnce, (message, cancel) => updates.ReceiveAsync(message.Topic, message.Payload, message.Retain, cancel), stopping);
        }
        catch (Exception ex) when (ex is MqttReasonException or MosquittoException or OperationCanceledException)
        {
            Updates.Log.Ignored(_logger, filter, $"could not subscribe: {ex.Message}");
        }
    }

    private RunningStream StartSensorStream(StreamOptions stream, ModelRegistry registry, ServedModel served, DurableOutbox outbox, Topics topics, AgentEvents events)
    {
        var source = stream.Source;
        var logger = loggerFactory.CreateLogger("EdgeAgent.Sensors");
        var serving = registry.ServeWindows(served, stream, watch: null);
        var package = served.Package;
        var input = package.Descriptor.Input;
        var windows = new WindowAssembler(source.Channels.Count, source.Window, source.Hop, input.Mean, input.Std);
        var threshold = package.Descriptor.Postprocess.Threshold;
        var hysteresis = new AnomalyHysteresis(threshold, serving.LeaveThreshold, stream.Anomaly.EnterWindows, stream.Anomaly.LeaveWindows);
        var sensor = new SensorSource(stream.Name, SensorFeeds.Create(stream.Name, source, SensorFeeds.Broker(options.Mqtt, options.Device.Id, stream.Name), logger, time), SensorFeeds.Settings(source), events, logger, time);
        var pipeline = new SensorPipeline(
            stream.Name,
            sensor.Buffer,
            windows,
            serving,
            hysteresis,
            new PublishPolicy(stream.Publish, (float)stream.MinScore),
            new OutboxResultSink(outbox, topics, options.Device.Id, options.Mqtt.Qos),
            events,
            loggerFactory.CreateLogger("EdgeAgent.Pipeline"));
        registry.Attach(pipeline, stream);
        sensor.Start();
        return new RunningStream(stream.Name, sensor, pipeline, served.Session.Providers.Chosen);
    }

    /// <summary>Beats each stream's liveness while its pipeline moves; a source in backoff is degraded, not dead.</summary>
    private async Task SuperviseAsync(List<RunningStream> streams, LivenessMonitor liveness, CancellationToken stopping)
    {
        var handles = streams.Select(s => liveness.Register($"stream {s.Name}", TimeSpan.FromSeconds(options.Agent.StallSeconds))).ToArray();
        var progress = new long[streams.Count];
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                for (var i = 0; i < streams.Count; i++)
                {
                    var pipeline = streams[i].Pipeline;
                    var moved = pipeline.Progress;
                    if (moved != progress[i])
                    {
                        progress[i] = moved;
                        handles[i].Beat();
                    }
                    else if (streams[i].Source.State is SourceState.Backoff or SourceState.Starting)
                    {
                        handles[i].ReportDegraded();
                    }
                    else
                    {
                        handles[i].ReportRecovered();
                    }
                }

                await Task.Delay(TimeSpan.FromSeconds(1), time, stopping);
            }
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Dispose();
            }
        }
    }

    private async Task PublishStatusAsync(MqttClient client, string topic, StatusDocument status, AgentEvents events, CancellationToken stopping)
    {
        var changed = new SemaphoreSlim(0);
        events.StateChanged += () => changed.Release();
        while (!stopping.IsCancellationRequested)
        {
            await client.WaitUntilConnectedAsync(stopping);
            try
            {
                var state = events.Degraded.Count > 0 ? "degraded" : "online";
                await client.PublishAsync(topic, status.Render(state, time.GetUtcNow()), MqttQos.AtLeastOnce, retain: true, stopping);
            }
            catch (Exception ex) when (ex is MqttReasonException or MosquittoException)
            {
                Log.StatusFailed(_logger, ex.Message);
            }

            // Again after a reconnect (the Will said offline) or when a stream's state changes.
            while (client.State == MqttConnectionState.Connected && !await changed.WaitAsync(TimeSpan.FromSeconds(1), stopping))
            {
            }
        }
    }

    private async Task PublishOfflineAsync(MqttClient client, string topic, StatusDocument status)
    {
        if (client.State != MqttConnectionState.Connected)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await client.PublishAsync(topic, status.Render("offline", time.GetUtcNow()), MqttQos.AtLeastOnce, retain: true, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or MqttReasonException or MosquittoException)
        {
            Log.StatusFailed(_logger, ex.Message);
        }
    }

    /// <summary>Stops every source; the streams' runners and writers belong to the model registry.</summary>
    private static async Task StopStreamsAsync(List<RunningStream> streams)
    {
        foreach (var stream in streams)
        {
            await stream.Source.DisposeAsync();
        }
    }

    private MqttClientOptions ClientOptions(string statusTopic, StatusDocument status)
    {
        var mqtt = options.Mqtt;
        return new MqttClientOptions
        {
            Host = mqtt.Host,
            Port = mqtt.Port,
            ClientId = $"edge-agent-{options.Device.Id}",
            KeepAlive = TimeSpan.FromSeconds(mqtt.KeepAliveSeconds),
            Username = mqtt.Username,
            PasswordFile = mqtt.PasswordFile,
            Tls = mqtt.Tls.CaFile is null ? null : new MqttTlsOptions { CaFile = mqtt.Tls.CaFile, CertFile = mqtt.Tls.CertFile, KeyFile = mqtt.Tls.KeyFile },
            Will = new MqttWill { Topic = statusTopic, Payload = status.Render("offline", time.GetUtcNow()), Retain = true },
        };
    }

    private void Fail(int exitCode, string reason)
    {
        Log.CannotStart(_logger, reason);
        Console.Error.WriteLine($"edge-agent: {reason}");
        ExitCode = exitCode;
        lifetime.StopApplication();
    }

    private static string Version =>
        typeof(AgentService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}

/// <summary>One stream's running parts.</summary>
internal sealed record RunningStream(string Name, IStreamSource Source, IStreamPipeline Pipeline, string Provider);
