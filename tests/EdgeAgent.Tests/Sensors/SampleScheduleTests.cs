using EdgeAgent.Sensors;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Sensors;

public sealed class SampleScheduleTests
{
    [Fact]
    public async Task Samples_fall_due_at_whole_multiples_of_the_period_from_the_start()
    {
        var clock = new ManualTimeProvider();
        var start = clock.GetUtcNow();
        var schedule = new SampleSchedule(100, clock);

        Assert.Equal((0L, start), await schedule.WaitAsync(CancellationToken.None));
        var second = schedule.WaitAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(9));
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal((1L, start.AddMilliseconds(10)), await second);
        Assert.Equal(0, schedule.Late);
    }

    [Fact]
    public async Task A_late_tick_still_takes_its_sample_is_counted_and_the_schedule_does_not_drift()
    {
        var clock = new ManualTimeProvider();
        var start = clock.GetUtcNow();
        var schedule = new SampleSchedule(100, clock);
        await schedule.WaitAsync(CancellationToken.None);
        var first = schedule.WaitAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(10));
        await first;

        // The reader stalls for 35 ms: samples 2 (due at 20 ms), 3 (30 ms) and 4 (40 ms) are all behind.
        clock.Advance(TimeSpan.FromMilliseconds(35));
        var caughtUp = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var wait = schedule.WaitAsync(CancellationToken.None);
            Assert.True(wait.IsCompleted, $"sample {i + 2} waited although its slot had passed");
            caughtUp.Add((await wait).Index);
        }

        // 2 and 3 were taken after the next one's slot began; 4 was taken within its own slot.
        Assert.Equal([2L, 3L, 4L], caughtUp);
        Assert.Equal(2, schedule.Late);
        var fifth = schedule.WaitAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(4));
        Assert.False(fifth.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal((5L, start.AddMilliseconds(50)), await fifth);
    }
}
