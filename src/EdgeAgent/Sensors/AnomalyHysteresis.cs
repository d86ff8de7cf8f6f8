namespace EdgeAgent.Sensors;

/// <summary>
/// Turns per-window scores into an anomaly state that does not flap: it starts after <c>enterWindows</c>
/// consecutive scores at or above the threshold, and ends after <c>leaveWindows</c> consecutive scores below the
/// (lower or equal) leave threshold. A window between the two thresholds keeps the state and breaks either run.
/// </summary>
public sealed class AnomalyHysteresis
{
    private readonly int _enterWindows;
    private readonly int _leaveWindows;
    private int _run;

    public AnomalyHysteresis(float threshold, float leaveThreshold, int enterWindows, int leaveWindows)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(leaveThreshold, threshold);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(enterWindows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(leaveWindows);
        Threshold = threshold;
        LeaveThreshold = leaveThreshold;
        _enterWindows = enterWindows;
        _leaveWindows = leaveWindows;
    }

    public float Threshold { get; private set; }

    public float LeaveThreshold { get; private set; }

    public bool Active { get; private set; }

    /// <summary>A new model's thresholds (after a model update): the state stays, the run of windows starts again.</summary>
    public void Retune(float threshold, float leaveThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(leaveThreshold, threshold);
        Threshold = threshold;
        LeaveThreshold = leaveThreshold;
        _run = 0;
    }

    public AnomalyTransition Update(float score)
    {
        // A NaN score counts as above: a model that stops producing numbers is not normal.
        var counts = Active ? score < LeaveThreshold : !(score < Threshold);
        _run = counts ? _run + 1 : 0;
        if (_run < (Active ? _leaveWindows : _enterWindows))
        {
            return AnomalyTransition.None;
        }

        _run = 0;
        Active = !Active;
        return Active ? AnomalyTransition.Started : AnomalyTransition.Ended;
    }
}
