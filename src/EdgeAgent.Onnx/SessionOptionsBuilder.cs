using System.Text;
using EdgeAgent.Onnx.Handles;
using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx;

/// <summary>Turns <see cref="InferenceSessionOptions"/> into a native OrtSessionOptions.</summary>
internal static unsafe class SessionOptionsBuilder
{
    public static OrtSessionOptionsHandle CreateEmpty(OrtApiTable api)
    {
        nint pointer;
        OrtStatus.Check(api, api.CreateSessionOptions(&pointer), "CreateSessionOptions");
        return new OrtSessionOptionsHandle(api, pointer);
    }

    /// <summary>
    /// Options with every setting applied and <paramref name="providers"/> appended in order (each must append:
    /// callers pass only providers already known to). <paramref name="optimizedModelOutput"/>, when set, is where
    /// ONNX Runtime writes the optimised graph.
    /// </summary>
    public static OrtSessionOptionsHandle Create(OrtEnvironment environment, InferenceSessionOptions options, IReadOnlyList<string> providers, GraphOptimizationLevel level, string? optimizedModelOutput)
    {
        var api = environment.Api;
        var handle = CreateEmpty(api);
        try
        {
            var pointer = handle.DangerousGetHandle();
            if (options.IntraOpThreads > 0)
            {
                OrtStatus.Check(api, api.SetIntraOpNumThreads(pointer, options.IntraOpThreads), "SetIntraOpNumThreads");
            }

            if (options.InterOpThreads > 0)
            {
                OrtStatus.Check(api, api.SetInterOpNumThreads(pointer, options.InterOpThreads), "SetInterOpNumThreads");
            }

            OrtStatus.Check(api, api.SetSessionGraphOptimizationLevel(pointer, (int)level), "SetSessionGraphOptimizationLevel");
            OrtStatus.Check(api, api.SetSessionExecutionMode(pointer, (int)options.ExecutionMode), "SetSessionExecutionMode");
            OrtStatus.Check(api, options.EnableCpuMemoryArena ? api.EnableCpuMemArena(pointer) : api.DisableCpuMemArena(pointer), "EnableCpuMemArena");
            OrtStatus.Check(api, options.EnableMemoryPattern ? api.EnableMemPattern(pointer) : api.DisableMemPattern(pointer), "EnableMemPattern");
            AddConfigEntry(api, pointer, "session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
            AddConfigEntry(api, pointer, "session.inter_op.allow_spinning", options.AllowSpinning ? "1" : "0");
            foreach (var (key, value) in options.ConfigEntries)
            {
                AddConfigEntry(api, pointer, key, value);
            }

            if (optimizedModelOutput is not null)
            {
                fixed (byte* path = Utf8(optimizedModelOutput))
                {
                    OrtStatus.Check(api, api.SetOptimizedModelFilePath(pointer, path), "SetOptimizedModelFilePath");
                }
            }

            foreach (var provider in providers)
            {
                var failure = ExecutionProviders.TryAppend(environment, handle, provider, OptionsFor(options, provider));
                if (failure is not null)
                {
                    throw new OrtException(OrtErrorCode.EpFail, failure, $"appending execution provider {provider}");
                }
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public static IReadOnlyDictionary<string, string> OptionsFor(InferenceSessionOptions options, string provider)
    {
        foreach (var (name, values) in options.ProviderOptions)
        {
            if (string.Equals(name, provider, StringComparison.OrdinalIgnoreCase))
            {
                return values;
            }
        }

        return ExecutionProviders.EmptyOptions;
    }

    public static byte[] Utf8(string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    private static void AddConfigEntry(OrtApiTable api, nint options, string key, string value)
    {
        fixed (byte* k = Utf8(key))
        fixed (byte* v = Utf8(value))
        {
            OrtStatus.Check(api, api.AddSessionConfigEntry(options, k, v), "AddSessionConfigEntry");
        }
    }
}
