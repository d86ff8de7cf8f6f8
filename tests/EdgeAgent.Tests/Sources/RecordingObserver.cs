using System.Collections.Concurrent;
using EdgeAgent.Sensors;
using EdgeAgent.Sources;

namespace EdgeAgent.Tests.Sources;

/// <summary>Records source events in order and lets a test wait for the next one.</summary>
internal sealed class RecordingObserver : ISensorObserver
{
    private readonly BlockingCollection<string> _events = [];

    public void SourceLost(string stream, string reason) => _events.Add($"lost {stream}: {reason}");

    public void SourceRestored(string stream, TimeSpan downtime) => _events.Add($"restored {stream}");

    public void SamplesLost(string stream, long lostSoFar) => _events.Add($"samples lost {stream}: {lostSoFar}");

    public string Next(TimeSpan timeout) =>
        _events.TryTake(out var next, timeout) ? next : throw new TimeoutException($"no source event within {timeout}");
}
