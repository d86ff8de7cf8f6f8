namespace EdgeAgent.Benchmarks;

/// <summary>What the command line asked for.</summary>
/// <param name="Pairs">Interleaved repeats per row; each runs one block of every side.</param>
/// <param name="BlockMs">The length each side's block aims at; its run count comes from the warm-up's mean.</param>
/// <param name="MinRunsPerBlock">The fewest runs in a block, however slow the model.</param>
/// <param name="MaxRunsPerBlock">The most runs in a block, however fast the model.</param>
internal sealed record BenchSettings(
    string ModelsDirectory,
    string? OrtNodeModules,
    string Node,
    string OverheadModel,
    IReadOnlyList<int> Threads,
    IReadOnlyList<string> Only,
    int Pairs,
    double BlockMs,
    int WarmupRuns,
    double WarmupMs,
    int MinRunsPerBlock,
    int MaxRunsPerBlock,
    string JsonPath);
