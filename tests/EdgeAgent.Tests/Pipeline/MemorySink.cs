using System.Collections.Concurrent;
using System.Text.Json;
using EdgeAgent.Pipeline;

namespace EdgeAgent.Tests.Pipeline;

/// <summary>Keeps every result payload in memory, parsed, with seq per stream from 1.</summary>
internal sealed class MemorySink : IResultSink
{
    private readonly ConcurrentDictionary<string, long> _seq = new();
    private readonly BlockingCollection<JsonDocument> _results = [];

    public long NextSeq(string stream) => _seq.AddOrUpdate(stream, 1, (_, last) => last + 1);

    public void Enqueue(string stream, long seq, ReadOnlySpan<byte> payload) => _results.Add(JsonDocument.Parse(payload.ToArray()));

    public JsonElement Next(TimeSpan timeout) =>
        _results.TryTake(out var next, timeout) ? next.RootElement : throw new TimeoutException($"no result within {timeout}");
}
