using System.Collections.Concurrent;
using System.Text.Json;
using EdgeAgent.Pipeline;

namespace EdgeAgent.Tests.Updates;

/// <summary>
/// A sensor stream's results, kept small: per window the model version, the window's first sample time and the
/// threshold it was judged against, in order; anomaly changes are ignored.
/// </summary>
internal sealed class WindowLedger : IResultSink, IAnomalyObserver
{
    private readonly ConcurrentDictionary<string, long> _seq = new();
    private readonly BlockingCollection<(int Version, DateTimeOffset Start, double Threshold)> _windows = [];

    public long NextSeq(string stream) => _seq.AddOrUpdate(stream, 1, (_, last) => last + 1);

    public void Enqueue(string stream, long seq, ReadOnlySpan<byte> payload)
    {
        using var result = JsonDocument.Parse(payload.ToArray());
        var root = result.RootElement;
        _windows.Add((
            root.GetProperty("model").GetProperty("version").GetInt32(),
            root.GetProperty("window").GetProperty("start_ts").GetDateTimeOffset(),
            root.GetProperty("threshold").GetDouble()));
    }

    /// <summary>The windows, in order, up to and including the first that <paramref name="last"/> matches.</summary>
    public IReadOnlyList<(int Version, DateTimeOffset Start, double Threshold)> Until(Func<(int Version, DateTimeOffset Start, double Threshold), bool> last, TimeSpan wait)
    {
        var taken = new List<(int, DateTimeOffset, double)>();
        while (true)
        {
            if (!_windows.TryTake(out var window, wait))
            {
                throw new TimeoutException($"no matching window within {wait}; {taken.Count} window(s) before it");
            }

            taken.Add(window);
            if (last(window))
            {
                return taken;
            }
        }
    }

    public void AnomalyStarted(string stream, float score, float threshold, DateTimeOffset windowStart)
    {
    }

    public void AnomalyEnded(string stream, float score, TimeSpan duration)
    {
    }
}
