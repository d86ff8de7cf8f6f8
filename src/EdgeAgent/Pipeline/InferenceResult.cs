using System.Diagnostics;
using EdgeAgent.Pipeline.Postprocessing;

namespace EdgeAgent.Pipeline;

/// <summary>One inference's outcome, reused from frame to frame by its stream (nothing is allocated per frame).</summary>
public sealed class InferenceResult
{
    private readonly ScoredClass[] _top;
    private Detection[] _detections = new Detection[64];

    public InferenceResult(int topK) => _top = new ScoredClass[Math.Max(topK, 1)];

    public ScoredClass[] TopBuffer => _top;

    public int TopCount { get; set; }

    public ReadOnlySpan<ScoredClass> Top => _top.AsSpan(0, TopCount);

    public ReadOnlySpan<Detection> Detections => _detections.AsSpan(0, DetectionCount);

    public int DetectionCount { get; private set; }

    public long FrameIndex { get; set; }

    public DateTimeOffset Timestamp { get; set; }

    public double PreMs { get; set; }

    public double InferMs { get; set; }

    public double PostMs { get; set; }

    public double TotalMs => PreMs + InferMs + PostMs;

    /// <summary>
    /// Sets the three step times from the stopwatch timestamps that bound them (each step may start well after the one
    /// before it ended, on another thread).
    /// </summary>
    public void SetTimings(long preStart, long preEnd, long inferStart, long inferEnd, long postStart, long postEnd)
    {
        PreMs = Stopwatch.GetElapsedTime(preStart, preEnd).TotalMilliseconds;
        InferMs = Stopwatch.GetElapsedTime(inferStart, inferEnd).TotalMilliseconds;
        PostMs = Stopwatch.GetElapsedTime(postStart, postEnd).TotalMilliseconds;
    }

    /// <summary>The result of a sensor window (the anomaly task) rather than of a frame.</summary>
    public bool IsWindow { get; set; }

    /// <summary>The anomaly score of the window.</summary>
    public float Score { get; set; }

    public float Threshold { get; set; }

    /// <summary>The stream's anomaly state after this window (with hysteresis, so one noisy window does not flip it).</summary>
    public bool Anomalous { get; set; }

    public DateTimeOffset WindowStart { get; set; }

    public DateTimeOffset WindowEnd { get; set; }

    public int WindowSamples { get; set; }

    /// <summary>The label (or class index) this result leads with, for the <c>changes</c> publish mode; -1 for none.</summary>
    public int LeadingClass => IsWindow ? (Anomalous ? 1 : 0) : TopCount > 0 ? _top[0].Index : DetectionCount > 0 ? _detections[0].ClassIndex : -1;

    /// <summary>The best score in the result, for the <c>detections</c> publish mode.</summary>
    public float BestScore => TopCount > 0 ? _top[0].Score : DetectionCount > 0 ? _detections[0].Score : 0f;

    /// <summary>Keeps the detections scoring at least <paramref name="minScore"/> (they arrive highest first).</summary>
    public void SetDetections(ReadOnlySpan<Detection> detections, float minScore)
    {
        var count = 0;
        while (count < detections.Length && detections[count].Score >= minScore)
        {
            count++;
        }

        if (_detections.Length < count)
        {
            _detections = new Detection[count * 2];
        }

        detections[..count].CopyTo(_detections);
        DetectionCount = count;
    }
}
