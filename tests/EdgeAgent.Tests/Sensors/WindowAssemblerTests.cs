using EdgeAgent.Sensors;

namespace EdgeAgent.Tests.Sensors;

public sealed class WindowAssemblerTests
{
    private static readonly DateTimeOffset s_start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_window_comes_after_Window_samples_then_one_every_Hop_samples()
    {
        var windows = new WindowAssembler(1, 4, 2, null, null);
        var completed = new List<int>();
        var announced = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            announced.Add(windows.SamplesToNextWindow);
            if (windows.Add([i], s_start.AddSeconds(i)))
            {
                completed.Add(i);
            }
        }

        Assert.Equal([3, 5, 7, 9], completed);
        Assert.Equal([4, 3, 2, 1, 2, 1, 2, 1, 2, 1], announced);
    }

    [Fact]
    public void A_window_is_time_major_oldest_first_and_normalised_per_channel()
    {
        var windows = new WindowAssembler(2, 3, 1, [10f, -1f], [2f, 0.5f]);
        for (var i = 0; i < 5; i++)
        {
            windows.Add([10 + (2 * i), -1 + i], s_start.AddMilliseconds(i));
        }

        var tensor = new float[6];
        windows.CopyTo(tensor);

        // Samples 2, 3, 4: channel 0 is (10 + 2i - 10) / 2 = i, channel 1 is (-1 + i + 1) / 0.5 = 2i.
        Assert.Equal([2f, 4f, 3f, 6f, 4f, 8f], tensor);
        Assert.Equal(s_start.AddMilliseconds(2), windows.StartTime);
        Assert.Equal(s_start.AddMilliseconds(4), windows.EndTime);
    }

    [Fact]
    public void After_a_reset_the_next_window_needs_a_whole_window_of_new_samples()
    {
        var windows = new WindowAssembler(1, 3, 3, null, null);
        Assert.False(windows.Add([1], s_start));
        Assert.False(windows.Add([2], s_start));
        windows.Reset();
        Assert.False(windows.Add([3], s_start));
        Assert.False(windows.Add([4], s_start));
        Assert.True(windows.Add([5], s_start));
        var tensor = new float[3];
        windows.CopyTo(tensor);
        Assert.Equal([3f, 4f, 5f], tensor);
    }

    [Fact]
    public void Normalisation_that_does_not_fit_the_channels_is_refused_by_name()
    {
        var mean = Assert.Throws<ArgumentException>(() => new WindowAssembler(2, 4, 2, [0f], null));
        Assert.Contains("mean has 1 values for 2 channel(s)", mean.Message, StringComparison.Ordinal);
        var std = Assert.Throws<ArgumentException>(() => new WindowAssembler(1, 4, 2, null, [0f]));
        Assert.Contains("std must hold 1 positive", std.Message, StringComparison.Ordinal);
    }
}
