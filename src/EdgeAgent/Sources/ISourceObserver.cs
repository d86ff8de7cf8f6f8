namespace EdgeAgent.Sources;

/// <summary>Hears when a source stops delivering and when it delivers again (the source_lost / source_restored events).</summary>
public interface ISourceObserver
{
    void SourceLost(string stream, string reason);

    void SourceRestored(string stream, TimeSpan downtime);
}
