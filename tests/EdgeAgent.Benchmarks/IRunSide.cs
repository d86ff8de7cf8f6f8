namespace EdgeAgent.Benchmarks;

/// <summary>One way of running the same session on the same inputs: our binding, the bare function table, or the Node peer.</summary>
internal interface IRunSide
{
    /// <summary>The column name: "ours", "bare" or "node".</summary>
    string Name { get; }

    /// <summary>Untimed runs, at least <paramref name="minRuns"/> and for at least <paramref name="minMs"/>; returns their mean in ms.</summary>
    double Warm(int minRuns, double minMs);

    /// <summary>Exactly <paramref name="runs"/> runs, each timed on its own; returns each run's ms.</summary>
    double[] Measure(int runs);
}
