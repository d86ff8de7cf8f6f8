namespace EdgeAgent.Pipeline;

/// <summary>What the daemon watches and reports of a running stream, camera or sensor.</summary>
public interface IStreamPipeline
{
    string Stream { get; }

    long Inferred { get; }

    long Published { get; }

    long Failed { get; }

    /// <summary>A count that rises whenever the stream takes work from its source; still, the stream is stuck or starved.</summary>
    long Progress { get; }

    /// <summary>The most recent per-inference times (pre + infer + post, ms), at most 512, and clears them.</summary>
    double[] TakeLatencies();

    /// <summary>Runs until <paramref name="stopping"/> fires or the source ends.</summary>
    Task RunAsync(CancellationToken stopping);
}
