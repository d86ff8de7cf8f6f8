namespace EdgeAgent.Sensors;

/// <summary>A sensor read on demand, at the sample schedule's pace (sysfs files, the simulator).</summary>
public interface ISensorReader : IDisposable
{
    int Channels { get; }

    string Description { get; }

    /// <summary>Finds and opens the channels; <see cref="SensorUnavailableException"/> names what is missing.</summary>
    void Open();

    /// <summary>Reads sample <paramref name="index"/> of every channel.</summary>
    void Read(long index, Span<float> values);

    void Close();
}
