namespace EdgeAgent.Sources;

/// <summary>What the daemon watches and reports of a stream's source, camera or sensor.</summary>
public interface IStreamSource : IAsyncDisposable
{
    SourceState State { get; }

    /// <summary>Frames or samples read since start.</summary>
    long ItemsRead { get; }

    /// <summary>Frames replaced by a newer one before inference took them (cameras).</summary>
    long FramesDropped { get; }

    /// <summary>Samples lost to a full buffer (sensors).</summary>
    long SamplesLost { get; }

    /// <summary>Readings that could not be parsed, each skipping its sample (sensors).</summary>
    long SamplesInvalid { get; }
}
