using System.Text.Json;
using EdgeAgent.Pipeline;

namespace EdgeAgent.Benchmarks.Updates;

/// <summary>Keeps each result's frame index, model version and top label, the three a swap could get wrong.</summary>
internal sealed class FrameLedger : IResultSink
{
    private readonly Lock _gate = new();
    private readonly List<(long Frame, int Version, string Label)> _results = [];
    private long _seq;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _results.Count;
            }
        }
    }

    public long NextSeq(string stream) => Interlocked.Increment(ref _seq);

    public void Enqueue(string stream, long seq, ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        using var result = JsonDocument.ParseValue(ref reader);
        var root = result.RootElement;
        var entry = (
            root.GetProperty("frame").GetProperty("index").GetInt64(),
            root.GetProperty("model").GetProperty("version").GetInt32(),
            root.GetProperty("top")[0].GetProperty("label").GetString() ?? "");
        lock (_gate)
        {
            _results.Add(entry);
        }
    }

    public IReadOnlyList<(long Frame, int Version, string Label)> Snapshot()
    {
        lock (_gate)
        {
            return [.. _results];
        }
    }
}
