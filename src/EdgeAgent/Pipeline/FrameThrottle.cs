namespace EdgeAgent.Pipeline;

/// <summary>MaxFps: lets a frame through only when at least 1/MaxFps has passed since the last one let through.</summary>
public sealed class FrameThrottle(double maxFps, TimeProvider time)
{
    private readonly long _interval = maxFps > 0 ? (long)(time.TimestampFrequency / maxFps) : 0;
    private long _next = long.MinValue;

    public bool Admit()
    {
        if (_interval == 0)
        {
            return true;
        }

        var now = time.GetTimestamp();
        if (now < _next)
        {
            return false;
        }

        // Scheduled from the previous slot, not from now, so a steady camera keeps the average rate.
        _next = _next == long.MinValue || now - _next > _interval ? now + _interval : _next + _interval;
        return true;
    }
}
