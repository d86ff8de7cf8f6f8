using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using EdgeAgent.Onnx.Handles;
using EdgeAgent.Onnx.Interop;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Onnx;

/// <summary>
/// A loaded model. <see cref="Run"/> is safe from several threads at once; for a steady loop, each thread
/// makes its own <see cref="SessionBinding"/>. Disposing it while runs are in flight lets the native session go
/// once the last of them ends.
/// </summary>
public sealed unsafe partial class InferenceSession : IDisposable
{
    private volatile bool _disposed;

    private InferenceSession(OrtEnvironment environment, OrtSessionHandle handle, string model, IReadOnlyList<NodeInfo> inputs, IReadOnlyList<NodeInfo> outputs, ProviderSelection providers, string? cachePath, bool fromCache)
    {
        Environment = environment;
        Handle = handle;
        Model = model;
        Inputs = inputs;
        Outputs = outputs;
        Providers = providers;
        OptimizedModelCachePath = cachePath;
        OptimizedModelFromCache = fromCache;
    }

    public OrtEnvironment Environment { get; }

    /// <summary>The model's path, or a description of the bytes it came from.</summary>
    public string Model { get; }

    public IReadOnlyList<NodeInfo> Inputs { get; }

    public IReadOnlyList<NodeInfo> Outputs { get; }

    public ProviderSelection Providers { get; }

    /// <summary>The optimised-graph cache file for this session, when the cache is on.</summary>
    public string? OptimizedModelCachePath { get; }

    /// <summary>True when the session was opened from <see cref="OptimizedModelCachePath"/>, skipping graph optimisation.</summary>
    public bool OptimizedModelFromCache { get; }

    internal OrtSessionHandle Handle { get; }

    internal OrtApiTable Api => Environment.Api;

    /// <summary>A reusable set of bound inputs and outputs for allocation-free runs from one thread.</summary>
    public SessionBinding CreateBinding() => new(this);

    /// <summary>
    /// New runs are refused from here on; the native session goes once runs in flight end (a SafeHandle alone
    /// would keep accepting new references while others are outstanding).
    /// </summary>
    public void Dispose()
    {
        IsDisposed = true;
        Handle.Dispose();
    }

    internal bool IsDisposed { get => _disposed; private set => _disposed = value; }

    /// <summary>The index of the input called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No input has that name; the message lists those that do.</exception>
    public int InputIndex(string name) => IndexOf(Inputs, name, "input");

    /// <summary>The index of the output called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No output has that name; the message lists those that do.</exception>
    public int OutputIndex(string name) => IndexOf(Outputs, name, "output");

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="tensor"/>'s element type and shape fit <paramref name="node"/>.</summary>
    internal void Validate(NodeInfo node, OrtTensor tensor, string role)
    {
        if (node.ElementType != tensor.ElementType)
        {
            throw new ArgumentException($"{role} '{node.Name}' of {Model} expects {node.ElementType.ToName()} elements, got {tensor.ElementType.ToName()}", nameof(tensor));
        }

        var shape = tensor.Shape;
        var fits = node.Shape.Count == 0 || node.Shape.Count == shape.Count;
        for (var i = 0; fits && i < node.Shape.Count; i++)
        {
            fits = node.Shape[i] < 0 || node.Shape[i] == shape[i];
        }

        if (!fits)
        {
            throw new ArgumentException($"{role} '{node.Name}' of {Model} expects shape [{node.ShapeText}], got [{string.Join(" x ", shape)}]", nameof(tensor));
        }
    }

    private static int IndexOf(IReadOnlyList<NodeInfo> nodes, string name, string role)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].Name == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"'{name}' is not an {role} of this model; its {role}s are: {string.Join(", ", nodes.Select(n => n.Name))}", nameof(name));
    }

    internal static InferenceSession Create(OrtEnvironment environment, ModelSource source, InferenceSessionOptions options)
    {
        options.Validate();
        var requested = options.Providers.Select(ExecutionProviders.Normalize).ToArray();
        var failures = new List<ProviderFailure>();

        // Providers that cannot even be appended are out at once; CPU, and anything after it, needs no append.
        var usable = new List<string>();
        foreach (var provider in requested.TakeWhile(p => p != ExecutionProviders.Cpu))
        {
            using var probe = SessionOptionsBuilder.CreateEmpty(environment.Api);
            var failure = ExecutionProviders.TryAppend(environment, probe, provider, SessionOptionsBuilder.OptionsFor(options, provider));
            if (failure is null)
            {
                usable.Add(provider);
            }
            else
            {
                failures.Add(new ProviderFailure(provider, failure));
                Log.ProviderFailed(environment.Logger, provider, failure);
            }
        }

        var modelSha256 = options.OptimizedModelCacheDirectory is null ? null : Sha256(source);
        while (true)
        {
            var chosen = usable.Count > 0 ? usable[0] : ExecutionProviders.Cpu;
            try
            {
                var (handle, cachePath, fromCache) = Open(environment, source, options, usable, chosen, modelSha256);
                try
                {
                    var selection = new ProviderSelection(requested, environment.AvailableProviders, chosen, [.. usable], failures);
                    Log.ProviderChosen(environment.Logger, source.Description, chosen, requested);
                    var (inputs, inputNames) = ReadNodes(environment.Api, handle, isInput: true);
                    handle.InputNames = inputNames;
                    var (outputs, outputNames) = ReadNodes(environment.Api, handle, isInput: false);
                    handle.OutputNames = outputNames;
                    return new InferenceSession(environment, handle, source.Description, inputs, outputs, selection, cachePath, fromCache);
                }
                catch
                {
                    handle.Dispose();
                    throw;
                }
            }
            catch (OrtException ex) when (usable.Count > 0)
            {
                // A provider can append yet fail when the session is built (a missing CUDA library, an
                // unsupported graph): fall to the next one and keep the reason.
                var reason = $"session creation failed: {ex.Code}: {ex.NativeMessage}";
                failures.Add(new ProviderFailure(usable[0], reason));
                Log.ProviderFailed(environment.Logger, usable[0], reason);
                usable.RemoveAt(0);
            }
        }
    }

    private static (OrtSessionHandle Handle, string? CachePath, bool FromCache) Open(OrtEnvironment environment, ModelSource source, InferenceSessionOptions options, IReadOnlyList<string> providers, string chosen, string? modelSha256)
    {
        if (options.OptimizedModelCacheDirectory is null || modelSha256 is null)
        {
            return (CreateNative(environment, source, options, providers, options.OptimizationLevel, null), null, false);
        }

        var cacheDirectory = options.OptimizedModelCacheDirectory;
        var cachePath = Path.Combine(cacheDirectory, $"{modelSha256}.{chosen}.ort-{environment.Library.Version}.{options.OptimizationLevel}.onnx".ToLowerInvariant());
        if (File.Exists(cachePath))
        {
            try
            {
                var cached = CreateNative(environment, ModelSource.FromPath(cachePath), options, providers, GraphOptimizationLevel.None, null);
                Log.OptimizedModelCacheHit(environment.Logger, source.Description, cachePath);
                return (cached, cachePath, true);
            }
            catch (OrtException ex)
            {
                Log.OptimizedModelCacheDiscarded(environment.Logger, cachePath, ex.Message);
                File.Delete(cachePath);
            }
        }

        // Written beside its final name and renamed only once complete, so a crash never leaves half a graph.
        try
        {
            Directory.CreateDirectory(cacheDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.OptimizedModelCacheDiscarded(environment.Logger, cacheDirectory, ex.Message);
            return (CreateNative(environment, source, options, providers, options.OptimizationLevel, null), null, false);
        }

        var partial = string.Create(CultureInfo.InvariantCulture, $"{cachePath}.{System.Environment.ProcessId}.partial");
        try
        {
            var handle = CreateNative(environment, source, options, providers, options.OptimizationLevel, partial);
            if (File.Exists(partial))
            {
                File.Move(partial, cachePath, overwrite: true);
                Log.OptimizedModelCacheWritten(environment.Logger, source.Description, cachePath);
            }

            return (handle, cachePath, false);
        }
        catch (OrtException ex)
        {
            // Some providers cannot serialise their graph; the session is still wanted without the cache.
            Log.OptimizedModelCacheDiscarded(environment.Logger, partial, ex.Message);
            return (CreateNative(environment, source, options, providers, options.OptimizationLevel, null), null, false);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static OrtSessionHandle CreateNative(OrtEnvironment environment, ModelSource source, InferenceSessionOptions options, IReadOnlyList<string> providers, GraphOptimizationLevel level, string? optimizedModelOutput)
    {
        var api = environment.Api;
        using var sessionOptions = SessionOptionsBuilder.Create(environment, options, providers, level, optimizedModelOutput);
        var environmentReferenced = false;
        environment.Handle.DangerousAddRef(ref environmentReferenced);
        try
        {
            nint session;
            if (source.Path is not null)
            {
                fixed (byte* path = SessionOptionsBuilder.Utf8(source.Path))
                {
                    OrtStatus.Check(api, api.CreateSession(environment.Handle.DangerousGetHandle(), path, sessionOptions.DangerousGetHandle(), &session), "CreateSession");
                }
            }
            else
            {
                fixed (byte* bytes = source.Bytes.Span)
                {
                    OrtStatus.Check(api, api.CreateSessionFromArray(environment.Handle.DangerousGetHandle(), bytes, (nuint)source.Bytes.Length, sessionOptions.DangerousGetHandle(), &session), "CreateSessionFromArray");
                }
            }

            return new OrtSessionHandle(api, environment.Handle, session);
        }
        finally
        {
            if (environmentReferenced)
            {
                environment.Handle.DangerousRelease();
            }
        }
    }

    private static string Sha256(ModelSource source)
    {
        if (source.Path is null)
        {
            return Convert.ToHexStringLower(SHA256.HashData(source.Bytes.Span));
        }

        try
        {
            using var stream = File.OpenRead(source.Path);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (FileNotFoundException ex)
        {
            throw new OrtException(OrtErrorCode.NoSuchFile, $"Load model {source.Path} failed. File doesn't exist ({ex.Message})", "CreateSession");
        }
    }

    private static (IReadOnlyList<NodeInfo> Nodes, NativeUtf8Strings Names) ReadNodes(OrtApiTable api, OrtSessionHandle handle, bool isInput)
    {
        var session = handle.DangerousGetHandle();
        nuint count;
        OrtStatus.Check(api, isInput ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count), "SessionGetInputCount");
        nint allocator;
        OrtStatus.Check(api, api.GetAllocatorWithDefaultOptions(&allocator), "GetAllocatorWithDefaultOptions");
        var nodes = new NodeInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* namePointer;
            OrtStatus.Check(api, isInput ? api.SessionGetInputName(session, i, allocator, &namePointer) : api.SessionGetOutputName(session, i, allocator, &namePointer), "SessionGetInputName");
            string name;
            try
            {
                name = Marshal.PtrToStringUTF8((nint)namePointer) ?? string.Empty;
            }
            finally
            {
                OrtStatus.Check(api, api.AllocatorFree(allocator, namePointer), "AllocatorFree");
            }

            nint typeInfo;
            OrtStatus.Check(api, isInput ? api.SessionGetInputTypeInfo(session, i, &typeInfo) : api.SessionGetOutputTypeInfo(session, i, &typeInfo), "SessionGetInputTypeInfo");
            using var typeInfoHandle = new OrtTypeInfoHandle(api, typeInfo);
            nodes[(int)i] = ReadNode(api, name, typeInfo);
        }

        return (nodes, new NativeUtf8Strings([.. nodes.Select(n => n.Name)]));
    }

    private static NodeInfo ReadNode(OrtApiTable api, string name, nint typeInfo)
    {
        int onnxType;
        OrtStatus.Check(api, api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType), "GetOnnxTypeFromTypeInfo");
        const int onnxTypeTensor = 1;
        if (onnxType != onnxTypeTensor)
        {
            return new NodeInfo(name, false, TensorElementType.Undefined, [], []);
        }

        // Borrowed: it lives as long as the type info, and must not be released.
        nint tensorInfo;
        OrtStatus.Check(api, api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo), "CastTypeInfoToTensorInfo");
        var (elementType, shape, symbolic) = ReadTensorInfo(api, tensorInfo);
        return new NodeInfo(name, true, elementType, shape, symbolic);
    }

    internal static (TensorElementType ElementType, long[] Shape, string[] Symbolic) ReadTensorInfo(OrtApiTable api, nint tensorInfo)
    {
        int elementType;
        OrtStatus.Check(api, api.GetTensorElementType(tensorInfo, &elementType), "GetTensorElementType");
        nuint rank;
        OrtStatus.Check(api, api.GetDimensionsCount(tensorInfo, &rank), "GetDimensionsCount");
        var shape = new long[(int)rank];
        var symbolic = new string[(int)rank];
        if (rank > 0)
        {
            fixed (long* dims = shape)
            {
                OrtStatus.Check(api, api.GetDimensions(tensorInfo, dims, rank), "GetDimensions");
            }

            var names = stackalloc byte*[(int)rank];
            OrtStatus.Check(api, api.GetSymbolicDimensions(tensorInfo, names, rank), "GetSymbolicDimensions");
            for (var d = 0; d < (int)rank; d++)
            {
                symbolic[d] = names[d] is null ? string.Empty : Marshal.PtrToStringUTF8((nint)names[d]) ?? string.Empty;
            }
        }

        return ((TensorElementType)elementType, shape, symbolic);
    }
}
