using System.Text;
using EdgeAgent.Sensors;
using EdgeAgent.Testing;
using EdgeAgent.Tests.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Tests.Sensors;

public sealed class ExecFeedTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Each_line_is_a_sample_a_bad_line_is_skipped_and_a_command_that_dies_is_restarted_with_backoff()
    {
        var observer = new RecordingObserver();
        var feed = new ExecFeed("s0", "sh", ["-c", "echo 1 2; echo 3,4; echo oops; echo 5 6 7; echo boom >&2; exit 3"], 2, NullLogger.Instance, TimeProvider.System);
        var settings = new SensorSettings { RestartDelay = TimeSpan.FromMilliseconds(50), MaxRestartDelay = TimeSpan.FromMilliseconds(200) };
        await using var source = new SensorSource("s0", feed, settings, observer, NullLogger.Instance, TimeProvider.System);
        source.Start();

        Assert.Equal("lost s0: sh exited with code 3: boom", observer.Next(s_wait));
        Assert.Equal("restored s0", observer.Next(s_wait));
        Assert.StartsWith("lost s0: ", observer.Next(s_wait), StringComparison.Ordinal);
        var values = new List<float>();
        for (var i = 0; i < 4; i++)
        {
            using var timeout = new CancellationTokenSource(s_wait);
            await source.Buffer.Reader.WaitToReadAsync(timeout.Token);
            Assert.True(source.Buffer.Reader.TryRead(out var row));
            values.AddRange(row.Values);
            row.Release();
        }

        Assert.Equal([1f, 2f, 3f, 4f, 1f, 2f, 3f, 4f], values);
        Assert.True(feed.Starts >= 2);
        Assert.True(source.SamplesInvalid >= 4, $"{source.SamplesInvalid} invalid lines counted");
    }

    [Fact]
    public void A_line_with_the_wrong_count_or_a_word_names_the_problem()
    {
        var values = new float[2];
        Assert.Equal("cmd: 1 value(s) for 2 channel(s) in '7'", Assert.Throws<SensorValueException>(() => SampleLine.Parse("7"u8, values, "cmd")).Message);
        Assert.Equal("cmd: 'x' is not a number (in '1 x')", Assert.Throws<SensorValueException>(() => SampleLine.Parse("1 x"u8, values, "cmd")).Message);
        SampleLine.Parse(" 1.5e3;\t-2 "u8, values, "cmd");
        Assert.Equal([1500f, -2f], values);
    }

    [Fact]
    public void Lines_are_read_across_reads_with_either_line_end_and_an_overlong_one_is_skipped()
    {
        var text = "1 2\r\n3,4\n" + new string('9', 20) + "\n5;6\n7 8";
        var lines = new LineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), longest: 8);
        var read = new List<string>();
        var skipped = 0;
        while (true)
        {
            try
            {
                if (!lines.ReadLine())
                {
                    break;
                }

                read.Add(Encoding.UTF8.GetString(lines.Line));
            }
            catch (SensorValueException ex)
            {
                Assert.Equal("a line longer than 8 bytes was skipped", ex.Message);
                skipped++;
            }
        }

        Assert.Equal(["1 2", "3,4", "5;6", "7 8"], read);
        Assert.Equal(1, skipped);
    }

    [Fact]
    public void Reading_a_line_from_a_running_command_allocates_nothing()
    {
        using var feed = new ExecFeed("s0", "yes", ["1.5 -2.5"], 2, NullLogger.Instance, TimeProvider.System);
        feed.Open();
        var values = new float[2];

        // The command writes faster than it is read, so each read finds its line waiting (on this thread).
        var bytes = Allocations.PerWindow(() =>
        {
            var read = feed.ReadAsync(values, CancellationToken.None);
            _ = read.IsCompleted ? read.Result : read.AsTask().GetAwaiter().GetResult();
        });

        Assert.Equal([1.5f, -2.5f], values);
        Assert.Equal(0, bytes);
    }

    [Fact]
    public async Task A_command_that_cannot_start_is_a_lost_source_naming_it()
    {
        var observer = new RecordingObserver();
        var feed = new ExecFeed("s0", "/nonexistent/sensor-reader", [], 1, NullLogger.Instance, TimeProvider.System);
        await using var source = new SensorSource("s0", feed, new SensorSettings { RestartDelay = TimeSpan.FromMilliseconds(50) }, observer, NullLogger.Instance, TimeProvider.System);
        source.Start();

        Assert.StartsWith("lost s0: /nonexistent/sensor-reader could not be started: ", observer.Next(s_wait), StringComparison.Ordinal);
    }
}
