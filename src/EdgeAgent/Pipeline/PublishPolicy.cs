namespace EdgeAgent.Pipeline;

/// <summary>
/// Which inferences are published (CONTRACT.md section 4): <c>all</c>; <c>changes</c> when the leading label or the
/// anomaly state changes; <c>detections</c> when something scores at least MinScore; <c>anomalies</c> every window
/// while an anomaly lasts and the one that ends it; <c>none</c> (telemetry only).
/// </summary>
public sealed class PublishPolicy
{
    private readonly string _mode;
    private readonly float _minScore;
    private int _lastLeading = int.MinValue;
    private bool _wasAnomalous;

    public PublishPolicy(string mode, float minScore)
    {
        _mode = mode is "all" or "changes" or "detections" or "none" or "anomalies"
            ? mode
            : throw new ArgumentException($"Publish is '{mode}'; it must be all, changes, detections, anomalies, none", nameof(mode));
        _minScore = minScore;
    }

    public bool ShouldPublish(InferenceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        switch (_mode)
        {
            case "all":
                return true;
            case "detections":
                return (result.TopCount > 0 || result.DetectionCount > 0) && result.BestScore >= _minScore;
            case "changes":
                var leading = result.LeadingClass;
                var changed = leading != _lastLeading;
                _lastLeading = leading;
                return changed;
            case "anomalies":
                var publish = result.Anomalous || _wasAnomalous;
                _wasAnomalous = result.Anomalous;
                return publish;
            default:
                return false;
        }
    }
}
