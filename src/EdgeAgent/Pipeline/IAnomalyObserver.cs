namespace EdgeAgent.Pipeline;

/// <summary>Hears when a sensor stream's anomaly state changes (the anomaly_started / anomaly_ended events).</summary>
public interface IAnomalyObserver
{
    void AnomalyStarted(string stream, float score, float threshold, DateTimeOffset windowStart);

    void AnomalyEnded(string stream, float score, TimeSpan duration);
}
