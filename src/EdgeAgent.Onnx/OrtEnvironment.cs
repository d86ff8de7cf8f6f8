using System.Runtime.InteropServices;
using EdgeAgent.Onnx.Handles;
using EdgeAgent.Onnx.Interop;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Onnx;

/// <summary>
/// The process's ONNX Runtime environment: create one and share it. Sessions keep it alive, so
/// disposing it while sessions run only lets the native environment go after the last of them.
/// </summary>
public sealed unsafe class OrtEnvironment : IDisposable
{
    // ONNX Runtime keeps one logging manager per process and goes on calling the callback it was first
    // given for as long as any environment lives, so where its messages go is process-wide as well.
    private static volatile ILogger s_nativeLogger = NullLogger.Instance;

    private readonly OrtEnvHandle _handle;
    private readonly OrtMemoryInfoHandle _cpuMemory;

    private OrtEnvironment(OrtLibrary library, OrtEnvHandle handle, OrtMemoryInfoHandle cpuMemory, IReadOnlyList<string> providers, ILoggerFactory loggerFactory)
    {
        Library = library;
        _handle = handle;
        _cpuMemory = cpuMemory;
        AvailableProviders = providers;
        LoggerFactory = loggerFactory;
        Logger = loggerFactory.CreateLogger("EdgeAgent.Onnx");
    }

    public OrtLibrary Library { get; }

    /// <summary>Execution providers compiled into the library, by ONNX Runtime's names (e.g. "CPUExecutionProvider").</summary>
    public IReadOnlyList<string> AvailableProviders { get; }

    internal ILoggerFactory LoggerFactory { get; }

    internal ILogger Logger { get; }

    internal OrtApiTable Api => Library.Api;

    internal OrtEnvHandle Handle => _handle;

    internal OrtMemoryInfoHandle CpuMemory => _cpuMemory;

    /// <summary>Creates the environment over a loaded library, routing ONNX Runtime's log into <paramref name="loggerFactory"/>.</summary>
    public static OrtEnvironment Create(OrtLibrary library, OrtLogLevel logLevel = OrtLogLevel.Warning, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(library);
        loggerFactory ??= NullLoggerFactory.Instance;
        s_nativeLogger = loggerFactory.CreateLogger("EdgeAgent.Onnx.Native");

        var api = library.Api;
        nint env;
        var logId = "edge-agent"u8;
        fixed (byte* id = logId)
        {
            OrtStatus.Check(api, api.CreateEnvWithCustomLogger(&OnNativeLog, 0, (int)logLevel, id, &env), "CreateEnvWithCustomLogger");
        }

        var handle = new OrtEnvHandle(api, env);
        try
        {
            OrtStatus.Check(api, api.DisableTelemetryEvents(env), "DisableTelemetryEvents");
            nint memoryInfo;
            OrtStatus.Check(api, api.CreateCpuMemoryInfo(ArenaAllocator, MemTypeDefault, &memoryInfo), "CreateCpuMemoryInfo");
            var cpuMemory = new OrtMemoryInfoHandle(api, memoryInfo);
            var environment = new OrtEnvironment(library, handle, cpuMemory, ReadAvailableProviders(api), loggerFactory);
            Log.LibraryLoaded(environment.Logger, LogLevel.Information, library.Version, library.Path, OrtLibrary.ApiVersion, library.LibraryApiVersion);
            return environment;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Opens a model file.</summary>
    public InferenceSession CreateSession(string modelPath, InferenceSessionOptions? options = null) =>
        InferenceSession.Create(this, ModelSource.FromPath(modelPath), options ?? new InferenceSessionOptions());

    /// <summary>Opens a model held in memory; the bytes are not kept after this returns.</summary>
    public InferenceSession CreateSession(ReadOnlyMemory<byte> model, InferenceSessionOptions? options = null) =>
        InferenceSession.Create(this, ModelSource.FromBytes(model), options ?? new InferenceSessionOptions());

    public void Dispose()
    {
        _cpuMemory.Dispose();
        _handle.Dispose();
    }

    private const int ArenaAllocator = 1;
    private const int MemTypeDefault = 0;

    private static string[] ReadAvailableProviders(OrtApiTable api)
    {
        byte** names;
        int count;
        OrtStatus.Check(api, api.GetAvailableProviders(&names, &count), "GetAvailableProviders");
        try
        {
            var providers = new string[count];
            for (var i = 0; i < count; i++)
            {
                providers[i] = Marshal.PtrToStringUTF8((nint)names[i]) ?? string.Empty;
            }

            return providers;
        }
        finally
        {
            OrtStatus.Check(api, api.ReleaseAvailableProviders(names, count), "ReleaseAvailableProviders");
        }
    }

    [UnmanagedCallersOnly]
    private static void OnNativeLog(nint param, int severity, byte* category, byte* logId, byte* codeLocation, byte* message)
    {
        try
        {
            var logger = s_nativeLogger;
            var level = severity switch
            {
                0 => LogLevel.Debug,
                1 => LogLevel.Information,
                2 => LogLevel.Warning,
                3 => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            if (logger.IsEnabled(level))
            {
                var categoryText = Marshal.PtrToStringUTF8((nint)category) ?? string.Empty;
                var messageText = Marshal.PtrToStringUTF8((nint)message) ?? string.Empty;
                Log.Native(logger, level, categoryText, messageText);
            }
        }
#pragma warning disable CA1031 // Nothing may unwind into ONNX Runtime's thread.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
