using EdgeAgent.Sensors;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Sensors;

public sealed class ReplayFeedTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-agent-replay-").FullName;

    [Fact]
    public async Task Rows_come_at_the_recorded_pace_from_the_first_row()
    {
        var clock = new ManualTimeProvider();
        var start = clock.GetUtcNow();
        using var feed = new ReplayFeed(Csv("time,x\n100.0,1\n100.5,2\n102.0,3\n"), "time", ["x"], 0, loop: false, realtime: true, clock);
        feed.Open();
        var values = new float[1];

        Assert.Equal(start, await feed.ReadAsync(values, CancellationToken.None));
        var second = feed.ReadAsync(values, CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(start.AddSeconds(0.5), await second);
        Assert.Equal(2f, values[0]);

        // Late by 0.7 s: the third row is still due at 2 s from the start, not 1.5 s after the second.
        clock.Advance(TimeSpan.FromMilliseconds(700));
        var third = feed.ReadAsync(values, CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(799));
        Assert.False(third.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(start.AddSeconds(2), await third);
        await Assert.ThrowsAsync<EndOfStreamException>(async () => await feed.ReadAsync(values, CancellationToken.None));
    }

    [Fact]
    public async Task A_looped_file_continues_its_time_line_and_a_fixed_rate_ignores_the_recorded_times()
    {
        var path = Csv("ts,a,b\n2030-01-01T00:00:00Z,1,10\n2030-01-01T00:00:01Z,2,20\n");
        using var looped = new ReplayFeed(path, "ts", ["b", "a"], 0, loop: true, realtime: false, TimeProvider.System);
        looped.Open();
        var values = new float[2];
        var times = new List<double>();
        var first = await looped.ReadAsync(values, CancellationToken.None);
        times.Add(0);
        for (var i = 0; i < 3; i++)
        {
            times.Add((await looped.ReadAsync(values, CancellationToken.None) - first).TotalSeconds);
        }

        Assert.Equal([0.0, 1, 2, 3], times);
        Assert.Equal([20f, 2f], values);

        using var fixedRate = new ReplayFeed(path, "ts", ["a"], 4, loop: true, realtime: false, TimeProvider.System);
        fixedRate.Open();
        var start = await fixedRate.ReadAsync(values, CancellationToken.None);
        Assert.Equal(0.25, (await fixedRate.ReadAsync(values, CancellationToken.None) - start).TotalSeconds);
    }

    [Fact]
    public async Task A_bad_cell_skips_its_row_naming_the_line_and_a_missing_column_names_the_columns()
    {
        var path = Csv("time,x\n0,1\n1,abc\n2,3\n");
        using var feed = new ReplayFeed(path, "time", ["x"], 0, loop: false, realtime: false, TimeProvider.System);
        feed.Open();
        var values = new float[1];
        await feed.ReadAsync(values, CancellationToken.None);
        var bad = await Assert.ThrowsAsync<SensorValueException>(async () => await feed.ReadAsync(values, CancellationToken.None));
        Assert.Equal($"{path}:3: column 'x' is 'abc', not a number", bad.Message);
        await feed.ReadAsync(values, CancellationToken.None);
        Assert.Equal(3f, values[0]);

        using var missing = new ReplayFeed(path, "time", ["y"], 0, loop: false, realtime: false, TimeProvider.System);
        Assert.Equal($"{path} has no column 'y' (its columns: time,x)", Assert.Throws<SensorUnavailableException>(missing.Open).Message);
    }

    [Fact]
    public void Replaying_a_row_allocates_nothing_whether_its_time_is_in_seconds_or_iso_8601()
    {
        var values = new float[2];
        foreach (var (column, times) in new[] { ("t", "{0}.25"), ("ts", "2030-01-01T00:00:{0:00}Z") })
        {
            // Looped, so that the passes through the file (the reader going back to its start) are measured too.
            var rows = string.Concat(Enumerable.Range(0, 7).Select(i => string.Format(System.Globalization.CultureInfo.InvariantCulture, times, i) + $",{i},-{i}.5\r\n"));
            using var feed = new ReplayFeed(Csv($"\uFEFF{column},a,b\r\n{rows}"), column, ["b", "a"], 0, loop: true, realtime: false, TimeProvider.System);
            feed.Open();

            var bytes = Allocations.PerWindow(() =>
            {
                var read = feed.ReadAsync(values, CancellationToken.None);
                _ = read.IsCompleted ? read.Result : read.AsTask().GetAwaiter().GetResult();
            });

            Assert.Equal(0, bytes);
            Assert.Equal(-values[1] - 0.5f, values[0]);
        }
    }

    [Fact]
    public async Task A_replay_that_ends_hands_over_every_row_before_its_stream_ends()
    {
        var rows = string.Concat(Enumerable.Range(0, 10).Select(i => $"{i}.0,{i}\n"));
        var feed = new ReplayFeed(Csv("time,x\n" + rows), "time", ["x"], 0, loop: false, realtime: false, TimeProvider.System);
        var settings = new SensorSettings { Realtime = false, BatchSamples = 4 };
        await using var source = new SensorSource("r0", feed, settings, new Sources.RecordingObserver(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System);
        source.Start();
        await source.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        // Ten rows in batches of four: the last two come with the end of the stream.
        var values = new List<float>();
        while (await source.Buffer.WaitToReadAsync(4, CancellationToken.None))
        {
            while (source.Buffer.Reader.TryRead(out var row))
            {
                values.Add(row.Values[0]);
                row.Release();
            }
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), values);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Csv(string content)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, content);
        return path;
    }
}
