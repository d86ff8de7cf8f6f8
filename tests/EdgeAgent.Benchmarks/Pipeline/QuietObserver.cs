using EdgeAgent.Sources;

namespace EdgeAgent.Benchmarks.Pipeline;

/// <summary>Counts source losses: a benchmark block in which the camera was lost does not measure what it says.</summary>
internal sealed class QuietObserver : ISourceObserver
{
    private int _losses;

    public int Losses => Volatile.Read(ref _losses);

    public void SourceLost(string stream, string reason) => Interlocked.Increment(ref _losses);

    public void SourceRestored(string stream, TimeSpan downtime)
    {
    }
}
