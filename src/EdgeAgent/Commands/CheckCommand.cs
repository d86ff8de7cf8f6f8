using System.CommandLine;
using System.Diagnostics;
using EdgeAgent.Configuration;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Pipeline;
using EdgeAgent.Pipeline.Preprocessing;
using EdgeAgent.Protocol;
using EdgeAgent.Sensors;
using EdgeAgent.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Commands;

/// <summary>
/// <c>edge-agent check</c>: validates the configuration, loads every stream's model on the configured providers,
/// opens every source once, and prints what it found; exit 0 only if the agent would start cleanly.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var command = new Command("check", "Validate the configuration, load every model and open every source once")
        {
            config,
        };
        command.SetAction((parsed, token) => RunAsync(parsed.GetValue(config), token));
        return command;
    }

    private static async Task<int> RunAsync(string? configPath, CancellationToken cancellation)
    {
        AgentOptions options;
        try
        {
            options = AgentConfiguration.Load(configPath);
        }
        catch (ConfigurationException ex)
        {
            throw new UsageException(ex.Message);
        }

        var output = Console.Out;
        output.WriteLine($"configuration  {Path.GetFullPath(configPath ?? AgentConfiguration.DefaultPath)}: valid");
        output.WriteLine($"device         {options.Device.Id}{(options.Device.Groups.Count > 0 ? " (groups " + string.Join(", ", options.Device.Groups) + ")" : string.Empty)}");
        using var loggerFactory = CliLogging.Create();
        using var environment = OrtLoader.Open(options.Inference.LibraryPath, OrtLogLevel.Error, loggerFactory, "Inference:LibraryPath");
        output.WriteLine($"onnxruntime    {environment.Library.Version} at {environment.Library.Path}");

        var problems = 0;
        var store = ModelStore.For(options);
        AgentState state;
        try
        {
            state = StateFile.For(options).Load();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"state          PROBLEM: {ex.Message}");
            problems++;
            state = new AgentState();
        }

        foreach (var stream in options.Streams)
        {
            problems += CheckModel(stream, options, store, state, environment, output) ? 0 : 1;
            problems += await CheckSourceAsync(stream, options, loggerFactory, output, cancellation) ? 0 : 1;
        }

        output.WriteLine(problems == 0 ? "ok: the agent would start cleanly" : $"{problems} problem(s): the agent would not start cleanly");
        return problems == 0 ? ExitCodes.Success : ExitCodes.Failed;
    }

    /// <summary>Loads the version <c>run</c> would serve: the store's resolution of state.json (pinned, committed, else bundled), never written back.</summary>
    private static bool CheckModel(StreamOptions stream, AgentOptions options, ModelStore store, AgentState state, OrtEnvironment environment, TextWriter output)
    {
        try
        {
            var (version, note) = store.Resolve(stream.Model, state.For(stream.Model));
            if (note is not null)
            {
                output.WriteLine($"stream {stream.Name}: model {stream.Model}: {note}");
            }

            var package = store.Open(stream.Model, version);
            var sessionOptions = new InferenceSessionOptions
            {
                IntraOpThreads = options.Inference.IntraOpThreads,
                Providers = options.Inference.Providers.Count > 0 ? options.Inference.Providers : [ExecutionProviders.Cpu],
                OptimizedModelCacheDirectory = options.Agent.CacheDirectory,
            };
            using var session = environment.CreateSession(package.ModelPath, sessionOptions);
            var skipped = string.Concat(session.Providers.Failures.Select(f => $"; {f.Provider} not used: {f.Reason}"));
            output.WriteLine($"stream {stream.Name}: model {package.Name} v{package.Version} ({package.Descriptor.Task}, sha256 {package.Sha256[..12]}) on {session.Providers.Chosen}{skipped}");
            if (stream.Source.Type == "sensor")
            {
                using var runner = new WindowRunner(package, session, stream.Source.Channels.Count, stream.Source.Window);
                return true;
            }

            if (ModelInputCheck.Problem(package.Descriptor.Input, session.Inputs) is { } mismatch)
            {
                output.WriteLine($"stream {stream.Name}: PROBLEM: model {package.Name} v{package.Version}: {mismatch}");
                return false;
            }

            ImagePreprocessor.Create(package.Descriptor.Input, Geometry(stream.Source));
            return true;
        }
        catch (Exception ex) when (ex is InvalidDataException or OrtException or ArgumentException)
        {
            output.WriteLine($"stream {stream.Name}: PROBLEM: model {stream.Model}: {ex.Message}");
            return false;
        }
    }

    private static async Task<bool> CheckSourceAsync(StreamOptions stream, AgentOptions options, ILoggerFactory loggerFactory, TextWriter output, CancellationToken cancellation)
    {
        if (stream.Source.Type == "sensor")
        {
            return await CheckSensorAsync(stream, options, loggerFactory, output, cancellation);
        }

        var settings = CameraSettingsFrom(stream.Source);
        var observer = new FirstLoss();
        var watch = Stopwatch.StartNew();
        await using var source = new CameraSource(stream.Name, settings, observer, loggerFactory.CreateLogger("EdgeAgent.Sources"), TimeProvider.System);
        source.Start();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(settings.StallTimeout);
        try
        {
            var frame = await source.Frames.ReadAsync(timeout.Token);
            frame.Release();
            output.WriteLine($"stream {stream.Name}: source {Describe(stream.Source)}: first frame in {watch.Elapsed.TotalMilliseconds:F0} ms");
            return true;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            output.WriteLine($"stream {stream.Name}: PROBLEM: source {Describe(stream.Source)}: no frame within {settings.StallTimeout.TotalSeconds:F0} s{(observer.Reason is { } reason ? ": " + reason : string.Empty)}");
            return false;
        }
    }

    /// <summary>Opens the sensor once and reads one sample (a value that does not parse is reported too).</summary>
    private static async Task<bool> CheckSensorAsync(StreamOptions stream, AgentOptions options, ILoggerFactory loggerFactory, TextWriter output, CancellationToken cancellation)
    {
        var source = stream.Source;
        if (source.Kind == "mqtt")
        {
            // Readings come when other devices publish them: there may be none for a while, and that is no problem.
            output.WriteLine($"stream {stream.Name}: source mqtt {source.Topic} from {options.Mqtt.Host}:{options.Mqtt.Port}: subscribed at start");
            return true;
        }

        using var feed = SensorFeeds.Create(stream.Name, source, SensorFeeds.Broker(options.Mqtt, options.Device.Id, stream.Name), loggerFactory.CreateLogger("EdgeAgent.Sensors"), TimeProvider.System);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(TimeSpan.FromSeconds(source.StallTimeoutSeconds));
        var values = new float[feed.Channels];
        try
        {
            feed.Open();
            await feed.ReadAsync(values, timeout.Token);
            output.WriteLine($"stream {stream.Name}: source {feed.Description}: {string.Join(", ", source.Channels.Zip(values, (c, v) => $"{c}={v.ToString(System.Globalization.CultureInfo.InvariantCulture)}"))}");
            return true;
        }
        catch (Exception ex) when (ex is SensorUnavailableException or SensorValueException or EndOfStreamException)
        {
            output.WriteLine($"stream {stream.Name}: PROBLEM: source {feed.Description}: {ex.Message}");
            return false;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            output.WriteLine($"stream {stream.Name}: PROBLEM: source {feed.Description}: no sample within {source.StallTimeoutSeconds:F0} s");
            return false;
        }
        finally
        {
            feed.Close();
        }
    }

    internal static CameraSettings CameraSettingsFrom(SourceOptions source) => new()
    {
        Url = source.Url ?? string.Empty,
        Width = source.Width,
        Height = source.Height,
        Fps = source.Fps,
        Loop = source.Loop,
        PixelFormat = FrameGeometry.ParseFormat(source.PixelFormat),
        Command = source.Type == "exec" ? source.Command : null,
        Arguments = source.Arguments,
        Threads = source.Threads,
        StallTimeout = TimeSpan.FromSeconds(source.StallTimeoutSeconds),
    };

    private static FrameGeometry Geometry(SourceOptions source) => new(source.Width, source.Height, FrameGeometry.ParseFormat(source.PixelFormat));

    private static string Describe(SourceOptions source) =>
        $"{(source.Type == "exec" ? source.Command : source.Url)} {source.Width}x{source.Height} {source.PixelFormat}";

    /// <summary>Keeps the first reason a source gave for failing, to say why no frame came.</summary>
    private sealed class FirstLoss : ISourceObserver
    {
        public string? Reason { get; private set; }

        public void SourceLost(string stream, string reason) => Reason ??= reason;

        public void SourceRestored(string stream, TimeSpan downtime)
        {
        }
    }
}
