using Microsoft.Extensions.Logging;

namespace EdgeAgent.Sources;

/// <summary>
/// A source's state and its outages: the first loss of an outage is logged and reported as source_lost, the first
/// sample or frame after it as source_restored with the downtime. Cameras and sensors share it.
/// </summary>
internal sealed class SourceHealth(string stream, ISourceObserver observer, ILogger logger, TimeProvider time)
{
    private volatile SourceState _state = SourceState.Starting;
    private long _lostAt;
    private bool _lost;

    public SourceState State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>The source failed: it waits in backoff; an outage already reported is not reported again.</summary>
    public void Lose(string reason)
    {
        _state = SourceState.Backoff;
        if (_lost)
        {
            return;
        }

        _lost = true;
        _lostAt = time.GetTimestamp();
        Log.Lost(logger, stream, reason);
        observer.SourceLost(stream, reason);
    }

    /// <summary>A frame or sample arrived: called for each, so a running source costs one read.</summary>
    public void Restore()
    {
        if (_state == SourceState.Running)
        {
            return;
        }

        _state = SourceState.Running;
        if (!_lost)
        {
            return;
        }

        _lost = false;
        var downtime = time.GetElapsedTime(_lostAt);
        Log.Restored(logger, stream, downtime.TotalSeconds);
        observer.SourceRestored(stream, downtime);
    }
}
