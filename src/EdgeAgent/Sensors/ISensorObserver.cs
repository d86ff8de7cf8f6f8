using EdgeAgent.Sources;

namespace EdgeAgent.Sensors;

/// <summary>Hears what a sensor stream reports besides loss and recovery: samples lost to a full buffer.</summary>
public interface ISensorObserver : ISourceObserver
{
    /// <summary>Called at the 1st, 2nd, 4th, 8th... lost sample, so a long overflow does not flood the events.</summary>
    void SamplesLost(string stream, long lostSoFar);
}
