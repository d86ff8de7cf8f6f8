namespace EdgeAgent.Pipeline;

/// <summary>The most recent per-inference times of one stream, for telemetry's percentiles; thread-safe.</summary>
public sealed class LatencyRecorder
{
    private readonly double[] _latencies = new double[512];
    private readonly Lock _gate = new();
    private int _next;
    private int _count;

    public void Add(double milliseconds)
    {
        lock (_gate)
        {
            _latencies[_next] = milliseconds;
            _next = (_next + 1) % _latencies.Length;
            _count = Math.Min(_count + 1, _latencies.Length);
        }
    }

    /// <summary>The times recorded since the last call, newest first, at most 512; and clears them.</summary>
    public double[] Take()
    {
        lock (_gate)
        {
            var taken = new double[_count];
            for (var i = 0; i < taken.Length; i++)
            {
                taken[i] = _latencies[(_next - 1 - i + _latencies.Length) % _latencies.Length];
            }

            _count = 0;
            return taken;
        }
    }
}
