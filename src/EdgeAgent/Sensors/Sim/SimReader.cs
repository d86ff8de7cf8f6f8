namespace EdgeAgent.Sensors.Sim;

/// <summary>The <c>sim</c> kind: the simulated signal, read at the stream's rate like any polled sensor.</summary>
public sealed class SimReader(SimSignal signal, IReadOnlyList<string> names) : ISensorReader
{
    public int Channels => signal.Channels;

    public string Description => $"sim: {string.Join(", ", names)}";

    public void Open()
    {
    }

    public void Read(long index, Span<float> values) => signal.Sample(index, values);

    public void Close()
    {
    }

    public void Dispose()
    {
    }
}
