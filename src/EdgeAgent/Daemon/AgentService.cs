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
        var streams = new List<RunningStream>();
        var sessions = new Dictionary<string, InferenceSession>(StringComparer.Ordinal);
        try
        {
            foreach (var stream in options.Streams)
            {
                streams.Add(StartStream(stream, environment, sessions, outbox, topics, events));
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or OrtException or ArgumentException)
        {
            Fail(1, ex.Message);
            await StopStreamsAsync(streams, sessions);
            return;
        }

        var status = new StatusDocument(
            Version,
            time.GetUtcNow(),
            options.Device.Groups,
            [.. sessions.Values.Select(s => s.Providers.Chosen).Distinct()],
            [.. options.Streams.Select(s => s.Name)]);
        var statusTopic = topics.Status(device);
        await using var client = new MqttClient(ClientOptions(statusTopic, status), loggerFactory.CreateLogger("EdgeAgent.Mqtt"), time);
        client.Start();
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var liveness = new LivenessMonitor(time);
        using var watchdog = new SystemdWatchdog(notifier, liveness, WatchdogTimeout.FromEnvironment(), time, _logger);
        var telemetry = new TelemetryPublisher(device, topics.Telemetry(device), streams, outbox, client, time);
        var publishing = outbox.PublishAsync(client, running.Token);
        var tasks = new List<Task>
        {
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
            await StopStreamsAsync(streams, sessions);
            await PublishOfflineAsync(client, statusTopic, status);

            // The outbox may be waiting for a PUBACK that a broker which is down will never send: stopping the client
            // ends that wait without acknowledging, so the record stays queued for the next start.
            await client.DisposeAsync();
            await publishing.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private RunningStream StartStream(StreamOptions stream, OrtEnvironment environment, Dictionary<string, InferenceSession> sessions, DurableOutbox outbox, Topics topics, AgentEvents events)
    {
        var package = ModelPackage.FindHighest(options.Models.BundledPath, stream.Model);
        if (!sessions.TryGetValue(stream.Model, out var session))
        {
            session = environment.CreateSession(package.ModelPath, new InferenceSessionOptions
            {
                IntraOpThreads = options.Inference.IntraOpThreads,
                Providers = options.Inference.Providers.Count > 0 ? options.Inference.Providers : [ExecutionProviders.Cpu],
                OptimizedModelCacheDirectory = options.Agent.CacheDirectory,
            });
            sessions[stream.Model] = session;
        }

        if (stream.Source.Type == "sensor")
        {
            return StartSensorStream(stream, package, session, outbox, topics, events);
        }

        var settings = Commands.CheckCommand.CameraSettingsFrom(stream.Source);
        var runner = new ModelRunner(package, session, settings.Geometry, (float)stream.MinScore);
        var source = new CameraSource(stream.Name, settings, events, loggerFactory.CreateLogger("EdgeAgent.Sources"), time);
        var writer = new ResultWriter(options.Device.Id, stream.Name, package);
        var pipeline = new StreamPipeline(
            stream.Name,
            source,
            runner,
            writer,
            new PublishPolicy(stream.Publish, (float)stream.MinScore),
            new FrameThrottle(stream.MaxFps, time),
            new OutboxResultSink(outbox, topics, options.Device.Id, options.Mqtt.Qos),
            loggerFactory.CreateLogger("EdgeAgent.Pipeline"));
        source.Start();
        return new RunningStream(stream.Name, source, runner, writer, pipeline, session.Providers.Chosen);
    }

    private RunningStream StartSensorStream(StreamOptions stream, ModelPackage package, InferenceSession session, DurableOutbox outbox, Topics topics, AgentEvents events)
    {
        var source = stream.Source;
        var logger = loggerFactory.CreateLogger("EdgeAgent.Sensors");
        var runner = new WindowRunner(package, session, source.Channels.Count, source.Window);
        var input = package.Descriptor.Input;
        WindowAssembler windows;
        try
        {
            windows = new WindowAssembler(source.Channels.Count, source.Window, source.Hop, input.Mean, input.Std);
        }
        catch (ArgumentException ex)
        {
            runner.Dispose();
            throw new InvalidDataException($"model {package.Name} v{package.Version}: {ex.Message}", ex);
        }

        var threshold = package.Descriptor.Postprocess.Threshold;
        var hysteresis = new AnomalyHysteresis(threshold, threshold * (float)stream.Anomaly.LeaveRatio, stream.Anomaly.EnterWindows, stream.Anomaly.LeaveWindows);
        var sensor = new SensorSource(stream.Name, SensorFeeds.Create(stream.Name, source, SensorFeeds.Broker(options.Mqtt, options.Device.Id, stream.Name), logger, time), SensorFeeds.Settings(source), events, logger, time);
        var writer = new ResultWriter(options.Device.Id, stream.Name, package);
        var pipeline = new SensorPipeline(
            stream.Name,
            sensor.Buffer,
            windows,
            runner,
            hysteresis,
            writer,
            new PublishPolicy(stream.Publish, (float)stream.MinScore),
            new OutboxResultSink(outbox, topics, options.Device.Id, options.Mqtt.Qos),
            events,
            loggerFactory.CreateLogger("EdgeAgent.Pipeline"));
        sensor.Start();
        return new RunningStream(stream.Name, sensor, runner, writer, pipeline, session.Providers.Chosen);
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

    private static async Task StopStreamsAsync(List<RunningStream> streams, Dictionary<string, InferenceSession> sessions)
    {
        foreach (var stream in streams)
        {
            await stream.Source.DisposeAsync();
            stream.Runner.Dispose();
            stream.Writer.Dispose();
        }

        foreach (var session in sessions.Values)
        {
            session.Dispose();
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
internal sealed record RunningStream(string Name, IStreamSource Source, IDisposable Runner, ResultWriter Writer, IStreamPipeline Pipeline, string Provider);
