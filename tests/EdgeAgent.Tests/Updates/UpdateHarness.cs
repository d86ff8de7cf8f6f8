using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Configuration;
using EdgeAgent.Daemon;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Pipeline;
using EdgeAgent.Protocol;
using EdgeAgent.Sensors;
using EdgeAgent.Sensors.Sim;
using EdgeAgent.Sources;
using EdgeAgent.Testing;
using EdgeAgent.Tests.Pipeline;
using EdgeAgent.Tests.Sources;
using EdgeAgent.Tests.Systemd;
using EdgeAgent.Updates;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Tests.Updates;

/// <summary>
/// An update manager over a throwaway device: a bundled version 1 of a model, a trusted key, state and store
/// directories, a manual clock, and optionally real camera streams running the model. Messages go straight to the
/// manager, as the update loop would hand them over.
/// </summary>
internal sealed class UpdateHarness : IAsyncDisposable
{
    private readonly List<(IAsyncDisposable Source, Task Run)> _streams = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ModelsPublisher _publisher = new("edge/pi-01/models", NullLogger.Instance);

    public UpdateHarness(OrtEnvironment environment, Action<AgentOptions>? configure = null, string model = "demo-classifier", string? bundled = null)
    {
        Environment = environment;
        Root = Directory.CreateTempSubdirectory("edge-agent-update-").FullName;
        ModelName = model;
        var version1 = Directory.CreateDirectory(Path.Combine(Root, "bundled", model, "1")).FullName;
        foreach (var file in Directory.GetFiles(bundled ?? SignedUpdate.DemoClassifier))
        {
            File.Copy(file, Path.Combine(version1, Path.GetFileName(file)));
        }

        Directory.CreateDirectory(Path.Combine(Root, "keys"));
        File.WriteAllText(Path.Combine(Root, "keys", "ops.pub"), SigningKeys.PublicPem(Key));
        Options = new AgentOptions
        {
            Device = new DeviceOptions { Id = "pi-01", Groups = ["kitchen"] },
            Agent = new AgentDirectories { StateDirectory = Path.Combine(Root, "state"), CacheDirectory = Path.Combine(Root, "cache") },
            Models = new ModelsOptions
            {
                BundledPath = Path.Combine(Root, "bundled"),
                TrustedKeysPath = Path.Combine(Root, "keys"),
                Probation = new ProbationOptions { Seconds = 2, MinInferences = 5, MaxWaitSeconds = 30, MaxLatencyFactor = 50 },
            },
        };
        configure?.Invoke(Options);
        Directory.CreateDirectory(Options.Agent.StateDirectory);
        Store = new ModelStore(Path.Combine(Options.Agent.StateDirectory, "models"), Options.Models.BundledPath, Options.Models.KeepVersions);
        StateFile = new StateFile(Path.Combine(Options.Agent.StateDirectory, "state.json"));
        State = StateFile.Load();
        var sessionOptions = new InferenceSessionOptions { IntraOpThreads = 1 };
        Registry = new ModelRegistry(environment, sessionOptions, "pi-01");
        Registry.Load(Store.Open(model, Store.Resolve(model, State.For(model)).Version));
        StateFile.Save(State);
        Manager = NewManager(environment, sessionOptions);
    }

    public string Root { get; }

    private OrtEnvironment Environment { get; }

    public string ModelName { get; }

    public ECDsa Key { get; } = SigningKeys.Generate();

    public AgentOptions Options { get; }

    public ModelStore Store { get; }

    public StateFile StateFile { get; }

    public AgentState State { get; private set; }

    public ModelRegistry Registry { get; }

    public UpdateManager Manager { get; private set; }

    public ManualTimeProvider Time { get; } = new();

    public RecordingLogger Logger { get; } = new();

    public string StagingPath => Store.StagingPath;

    /// <summary>The models topic's document as last published.</summary>
    public JsonElement Models => JsonDocument.Parse(_publisher.Latest!).RootElement.GetProperty("models");

    public JsonElement Update => Models.GetProperty(ModelName).GetProperty("update");

    /// <summary>The reasons of every event of that name, in order.</summary>
    public IReadOnlyList<string> Events(string name) =>
        [.. Logger.MessagesOf(4615).Where(m => m.StartsWith($"Event {name} ", StringComparison.Ordinal)).Select(m => m[(m.IndexOf("): ", StringComparison.Ordinal) + 3)..])];

    /// <summary>A descriptor of the bundled model at <paramref name="version"/>.</summary>
    public JsonObject Descriptor(int version, string? directory = null)
    {
        var descriptor = SignedUpdate.Descriptor(directory ?? SignedUpdate.DemoClassifier);
        descriptor["name"] = ModelName;
        descriptor["version"] = version;
        return descriptor;
    }

    public void Offer(JsonObject manifest, string? group = null, bool retained = false) =>
        Manager.Process(new UpdateMessage(UpdateMessageKind.Offer, System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()), group, Retained: retained), _stop.Token);

    public void Chunk(string updateId, int index, byte[] payload, string? group = null) =>
        Manager.Process(new UpdateMessage(UpdateMessageKind.Chunk, payload, group, updateId, index), _stop.Token);

    public void Done(string updateId) => Manager.Process(new UpdateMessage(UpdateMessageKind.Done, ReadOnlyMemory<byte>.Empty, null, updateId), _stop.Token);

    public void Rollback(JsonObject command, string? group = null, bool retained = false) =>
        Manager.Process(new UpdateMessage(UpdateMessageKind.Rollback, System.Text.Encoding.UTF8.GetBytes(command.ToJsonString()), group, Retained: retained), _stop.Token);

    /// <summary>Offers <paramref name="bundle"/> to this device and sends every chunk.</summary>
    public JsonObject Push(string updateId, JsonObject descriptor, byte[] bundle, int chunkSize = 4096)
    {
        var manifest = SignedUpdate.Manifest(updateId, SignedUpdate.Device("pi-01"), descriptor, bundle, chunkSize, Key);
        Offer(manifest);
        foreach (var (index, payload) in SignedUpdate.Chunks(bundle, chunkSize))
        {
            Chunk(updateId, index, payload);
        }

        return manifest;
    }

    /// <summary>Ticks the update loop, the manual clock a second ahead each time, until the update reaches <paramref name="state"/> (within a minute).</summary>
    public void JudgeUntil(string state)
    {
        var wait = TimeSpan.FromSeconds(60);
        var deadline = DateTime.UtcNow + wait;
        while (Update.GetProperty("state").GetString() != state)
        {
            Xunit.Assert.True(DateTime.UtcNow < deadline, $"the update is still {Update} after {wait}");
            Thread.Sleep(100);
            Time.Advance(TimeSpan.FromSeconds(1));
            Manager.Tick(CancellationToken.None);
        }
    }

    /// <summary>What a restart does to the update side: a new manager over the state as saved (the loaded models stay).</summary>
    public void Restart()
    {
        Manager.Dispose();
        State = StateFile.Load();
        Manager = NewManager(Environment, new InferenceSessionOptions { IntraOpThreads = 1 });
    }

    /// <summary>A testsrc camera stream running the model, its results in the returned sink.</summary>
    public MemorySink AddStream(string name, int width = 320, int height = 240, double fps = 30)
    {
        var stream = new StreamOptions { Name = name, Model = ModelName, Publish = "all" };
        var settings = new CameraSettings { Url = "testsrc", Width = width, Height = height, Fps = fps };
        var source = new CameraSource(name, settings, new RecordingObserver(), NullLogger.Instance, TimeProvider.System);
        var sink = new MemorySink();
        var serving = Registry.Serve(Registry.Current(ModelName)!, stream, settings.Geometry, watch: null);
        var pipeline = new StreamPipeline(name, source, serving, new PublishPolicy("all", 0), new FrameThrottle(0, TimeProvider.System), sink, NullLogger.Instance);
        Registry.Attach(pipeline, stream, settings.Geometry);
        source.Start();
        _streams.Add((source, Task.Run(() => pipeline.RunAsync(_stop.Token))));
        return sink;
    }

    /// <summary>
    /// A sensor stream running the (anomaly) model on the simulated vibration signal, 64-sample windows every 16
    /// samples, not in real time: sample n is stamped exactly at the source clock's start + n / 100 s.
    /// </summary>
    public void AddSensorStream(string name, IResultSink sink, IAnomalyObserver observer)
    {
        var stream = new StreamOptions
        {
            Name = name,
            Model = ModelName,
            Publish = "all",
            Source = new SourceOptions { Type = "sensor", Kind = "sim", RateHz = 100, Window = 64, Hop = 16, Channels = ["vibration"] },
        };
        var served = Registry.Current(ModelName)!;
        var serving = Registry.ServeWindows(served, stream, watch: null);
        var input = served.Package.Descriptor.Input;
        var threshold = served.Package.Descriptor.Postprocess.Threshold;
        var clock = new ManualTimeProvider();
        var feed = new PolledFeed(new SimReader(new SimSignal(new SimSettings(), 100, 1), ["vibration"]), 100, false, clock);
        var source = new SensorSource(name, feed, new SensorSettings { Realtime = false, BufferSamples = 256 }, new RecordingObserver(), NullLogger.Instance, clock);
        var pipeline = new SensorPipeline(
            name, source.Buffer, new WindowAssembler(1, 64, 16, input.Mean, input.Std), serving,
            new AnomalyHysteresis(threshold, serving.LeaveThreshold, 2, 3), new PublishPolicy("all", 0), sink, observer, NullLogger.Instance);
        Registry.Attach(pipeline, stream);
        source.Start();
        _streams.Add((source, Task.Run(() => pipeline.RunAsync(_stop.Token))));
    }

    private UpdateManager NewManager(OrtEnvironment environment, InferenceSessionOptions sessionOptions) => new(
        Options,
        Store,
        StateFile,
        State,
        Registry,
        new ModelValidator(environment, sessionOptions, Options.Models.Probation.MaxLatencyFactor),
        new AgentEvents("pi-01", "edge/pi-01/events", Logger, Time),
        _publisher,
        Logger,
        Time);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var (source, run) in _streams)
        {
            await run.ContinueWith(_ => { }, TaskScheduler.Default);
            await source.DisposeAsync();
        }

        Manager.Dispose();
        Registry.Dispose();
        _publisher.Dispose();
        _stop.Dispose();
        Key.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
