namespace EdgeAgent.Onnx;

/// <summary>ONNX Runtime's graph optimisation levels (<c>GraphOptimizationLevel</c>).</summary>
public enum GraphOptimizationLevel
{
    None = 0,
    Basic = 1,
    Extended = 2,
    Layout = 3,
    All = 99,
}

/// <summary>Whether the graph's nodes run one after another or, where independent, in parallel (<c>ExecutionMode</c>).</summary>
public enum ExecutionMode
{
    Sequential = 0,
    Parallel = 1,
}

/// <summary>How a session is built: threads, optimisation, memory, providers and the optimised-graph cache.</summary>
public sealed record InferenceSessionOptions
{
    /// <summary>Threads inside one operator; 0 lets ONNX Runtime choose (one per core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads across independent operators in <see cref="ExecutionMode.Parallel"/>; 0 lets ONNX Runtime choose.</summary>
    public int InterOpThreads { get; init; }

    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.All;

    public ExecutionMode ExecutionMode { get; init; } = ExecutionMode.Sequential;

    /// <summary>ONNX Runtime's arena for CPU memory: faster steady state, more resident memory.</summary>
    public bool EnableCpuMemoryArena { get; init; } = true;

    /// <summary>Plans intermediate buffers from the first run's shapes and reuses the plan.</summary>
    public bool EnableMemoryPattern { get; init; } = true;

    /// <summary>Whether idle intra-op threads spin; off saves power on battery or thermally limited boards.</summary>
    public bool AllowSpinning { get; init; } = true;

    /// <summary>
    /// Execution providers by name, in order of preference (<see cref="ExecutionProviders.Known"/>). Each that
    /// cannot be used is skipped with its reason; CPU is always the last resort, so names after "cpu" are unused.
    /// </summary>
    public IReadOnlyList<string> Providers { get; init; } = [ExecutionProviders.Cpu];

    /// <summary>Options per provider name, such as <c>cuda: { device_id: 0 }</c>, passed to ONNX Runtime as given.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ProviderOptions { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Further session configuration entries (<c>AddSessionConfigEntry</c>).</summary>
    public IReadOnlyDictionary<string, string> ConfigEntries { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A directory for optimised graphs, one file per model sha256, provider, library version and level, so that
    /// opening the same model again skips graph optimisation. Null turns the cache off.
    /// </summary>
    public string? OptimizedModelCacheDirectory { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        if (IntraOpThreads < 0)
        {
            throw new ArgumentException($"IntraOpThreads must be 0 (automatic) or more, not {IntraOpThreads}", nameof(IntraOpThreads));
        }

        if (InterOpThreads < 0)
        {
            throw new ArgumentException($"InterOpThreads must be 0 (automatic) or more, not {InterOpThreads}", nameof(InterOpThreads));
        }

        if (!Enum.IsDefined(OptimizationLevel))
        {
            throw new ArgumentException($"OptimizationLevel {(int)OptimizationLevel} is not one of None, Basic, Extended, Layout, All", nameof(OptimizationLevel));
        }

        if (!Enum.IsDefined(ExecutionMode))
        {
            throw new ArgumentException($"ExecutionMode {(int)ExecutionMode} is not Sequential or Parallel", nameof(ExecutionMode));
        }

        foreach (var provider in Providers)
        {
            ExecutionProviders.ThrowIfUnknown(provider);
        }

        foreach (var provider in ProviderOptions.Keys)
        {
            ExecutionProviders.ThrowIfUnknown(provider);
        }
    }
}
