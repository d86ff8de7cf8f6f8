using EdgeAgent.Onnx.Handles;
using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx;

/// <summary>The execution providers edge-agent knows by name, and how each is appended to a session.</summary>
public static class ExecutionProviders
{
    public const string Cuda = "cuda";
    public const string TensorRt = "tensorrt";
    public const string Xnnpack = "xnnpack";
    public const string Acl = "acl";
    public const string OpenVino = "openvino";
    public const string Cpu = "cpu";

    /// <summary>Every name a configuration may use.</summary>
    public static IReadOnlyList<string> Known { get; } = [Cuda, TensorRt, Xnnpack, Acl, OpenVino, Cpu];

    /// <summary>ONNX Runtime's name for a provider, as <c>GetAvailableProviders</c> lists it.</summary>
    public static string OrtName(string provider) => Normalize(provider) switch
    {
        Cuda => "CUDAExecutionProvider",
        TensorRt => "TensorrtExecutionProvider",
        Xnnpack => "XnnpackExecutionProvider",
        Acl => "ACLExecutionProvider",
        OpenVino => "OpenVINOExecutionProvider",
        _ => "CPUExecutionProvider",
    };

    /// <summary>The known name for <paramref name="provider"/>, whatever its case.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Known"/>.</exception>
    public static string Normalize(string provider)
    {
        ThrowIfUnknown(provider);
        return provider.ToLowerInvariant();
    }

    public static void ThrowIfUnknown(string provider)
    {
        if (provider is null || !Known.Contains(provider.ToLowerInvariant()))
        {
            throw new ArgumentException($"unknown execution provider '{provider}'; known providers: {string.Join(", ", Known)}", nameof(provider));
        }
    }

    /// <summary>
    /// Tries <paramref name="provider"/> on a throwaway options object for each known provider but CPU:
    /// whether the library lists it and, if it cannot be appended, ONNX Runtime's reason.
    /// </summary>
    public static IReadOnlyList<ProviderProbe> Probe(OrtEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var probes = new List<ProviderProbe>();
        foreach (var provider in Known)
        {
            var listed = environment.AvailableProviders.Contains(OrtName(provider));
            if (provider == Cpu)
            {
                probes.Add(new ProviderProbe(provider, OrtName(provider), listed, null));
                continue;
            }

            using var options = SessionOptionsBuilder.CreateEmpty(environment.Api);
            probes.Add(new ProviderProbe(provider, OrtName(provider), listed, TryAppend(environment, options, provider, EmptyOptions)));
        }

        return probes;
    }

    internal static readonly IReadOnlyDictionary<string, string> EmptyOptions = new Dictionary<string, string>();

    /// <summary>Appends one provider; returns null on success, else why it cannot be used.</summary>
    internal static string? TryAppend(OrtEnvironment environment, OrtSessionOptionsHandle options, string provider, IReadOnlyDictionary<string, string> providerOptions)
    {
        try
        {
            switch (Normalize(provider))
            {
                case Cuda:
                    AppendCuda(environment.Api, options, providerOptions);
                    break;
                case TensorRt:
                    AppendTensorRt(environment.Api, options, providerOptions);
                    break;
                case Xnnpack:
                    AppendGeneric(environment.Api, options, "XNNPACK", providerOptions);
                    break;
                case OpenVino:
                    AppendGeneric(environment.Api, options, "OpenVINO", providerOptions);
                    break;
                case Acl:
                    AppendAcl(environment, options);
                    break;
                default:
                    break;
            }

            return null;
        }
        catch (OrtException ex)
        {
            return $"{ex.Code}: {ex.NativeMessage}";
        }
        catch (NotSupportedException ex)
        {
            return ex.Message;
        }
    }

    private static unsafe void AppendCuda(OrtApiTable api, OrtSessionOptionsHandle options, IReadOnlyDictionary<string, string> providerOptions)
    {
        nint cudaOptions;
        OrtStatus.Check(api, api.CreateCudaProviderOptions(&cudaOptions), "CreateCUDAProviderOptions");
        using var handle = new OrtCudaProviderOptionsHandle(api, cudaOptions);
        if (providerOptions.Count > 0)
        {
            var (keys, values) = Encode(providerOptions);
            try
            {
                OrtStatus.Check(api, api.UpdateCudaProviderOptions(cudaOptions, keys.Pointers, values.Pointers, (nuint)keys.Count), "UpdateCUDAProviderOptions");
            }
            finally
            {
                keys.Free();
                values.Free();
            }
        }

        OrtStatus.Check(api, api.SessionOptionsAppendExecutionProviderCudaV2(options.DangerousGetHandle(), cudaOptions), "SessionOptionsAppendExecutionProvider_CUDA_V2");
    }

    private static unsafe void AppendTensorRt(OrtApiTable api, OrtSessionOptionsHandle options, IReadOnlyDictionary<string, string> providerOptions)
    {
        nint tensorRtOptions;
        OrtStatus.Check(api, api.CreateTensorRtProviderOptions(&tensorRtOptions), "CreateTensorRTProviderOptions");
        using var handle = new OrtTensorRtProviderOptionsHandle(api, tensorRtOptions);
        if (providerOptions.Count > 0)
        {
            var (keys, values) = Encode(providerOptions);
            try
            {
                OrtStatus.Check(api, api.UpdateTensorRtProviderOptions(tensorRtOptions, keys.Pointers, values.Pointers, (nuint)keys.Count), "UpdateTensorRTProviderOptions");
            }
            finally
            {
                keys.Free();
                values.Free();
            }
        }

        OrtStatus.Check(api, api.SessionOptionsAppendExecutionProviderTensorRtV2(options.DangerousGetHandle(), tensorRtOptions), "SessionOptionsAppendExecutionProvider_TensorRT_V2");
    }

    private static unsafe void AppendGeneric(OrtApiTable api, OrtSessionOptionsHandle options, string ortProviderName, IReadOnlyDictionary<string, string> providerOptions)
    {
        var name = new NativeUtf8Strings([ortProviderName]);
        var (keys, values) = Encode(providerOptions);
        try
        {
            OrtStatus.Check(api, api.SessionOptionsAppendExecutionProvider(options.DangerousGetHandle(), name.Pointers[0], keys.Pointers, values.Pointers, (nuint)keys.Count), "SessionOptionsAppendExecutionProvider");
        }
        finally
        {
            name.Free();
            keys.Free();
            values.Free();
        }
    }

    private static unsafe void AppendAcl(OrtEnvironment environment, OrtSessionOptionsHandle options)
    {
        // ACL is not in the OrtApi table: builds configured with it export their own append function.
        const string export = "OrtSessionOptionsAppendExecutionProvider_ACL";
        if (!environment.Library.TryGetExport(export, out var append))
        {
            throw new NotSupportedException($"this ONNX Runtime build has no ACL support (it does not export {export})");
        }

        // The second argument is enable_fast_math (a bool) in current releases and use_arena (an int) in older
        // ones; both travel in one register, and 0 keeps exact arithmetic on either.
        var status = ((delegate* unmanaged<nint, int, nint>)append)(options.DangerousGetHandle(), 0);
        OrtStatus.Check(environment.Api, status, export);
    }

    private static (NativeUtf8Strings Keys, NativeUtf8Strings Values) Encode(IReadOnlyDictionary<string, string> options) =>
        (new NativeUtf8Strings([.. options.Keys]), new NativeUtf8Strings([.. options.Values]));
}

/// <summary>One provider as <c>edge-agent providers</c> reports it.</summary>
/// <param name="Name">edge-agent's name ("cuda").</param>
/// <param name="OrtName">ONNX Runtime's name ("CUDAExecutionProvider").</param>
/// <param name="ListedByLibrary">Whether <c>GetAvailableProviders</c> names it.</param>
/// <param name="Failure">Why it cannot be appended, or null when it can.</param>
public sealed record ProviderProbe(string Name, string OrtName, bool ListedByLibrary, string? Failure)
{
    public bool Usable => Failure is null;
}
