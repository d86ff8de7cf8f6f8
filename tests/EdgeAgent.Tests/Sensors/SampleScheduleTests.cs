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

    [Fact]
    public void A_blocking_wait_returns_only_once_the_clock_has_reached_the_slot_and_does_not_drift()
    {
        var clock = new SteppingClock(TimeSpan.FromMilliseconds(3));
        var schedule = new SampleSchedule(100, clock);

        for (var i = 0L; i < 5; i++)
        {
            var (index, timestamp) = schedule.Wait(CancellationToken.None);
            Assert.Equal(i, index);
            Assert.Equal(clock.Start.AddMilliseconds(10 * i), timestamp);
            Assert.True(clock.Last >= TimeSpan.FromMilliseconds(10 * i).Ticks, $"sample {i} was taken at {clock.Last} ticks, before its slot");
        }

        Assert.Equal(0, schedule.Late);
    }

    [Fact]
    public void A_blocking_wait_takes_late_samples_at_once_and_counts_them()
    {
        var clock = new ManualTimeProvider();
        var start = clock.GetUtcNow();
        var schedule = new SampleSchedule(100, clock);
        schedule.Wait(CancellationToken.None);

        // The reader stalls for 45 ms: samples 1 to 4 are all behind; were any of them to sleep, this clock would never let it wake.
        clock.Advance(TimeSpan.FromMilliseconds(45));
        var taken = Enumerable.Range(0, 4).Select(_ => schedule.Wait(CancellationToken.None)).ToList();

        Assert.Equal([1L, 2L, 3L, 4L], taken.Select(t => t.Index));
        Assert.Equal(start.AddMilliseconds(40), taken[^1].Timestamp);
        Assert.Equal(3, schedule.Late);
    }

    [Fact]
    public void A_blocking_wait_ends_when_cancelled()
    {
        var schedule = new SampleSchedule(1, new ManualTimeProvider());
        schedule.Wait(CancellationToken.None);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => schedule.Wait(cancelled.Token));
    }

    /// <summary>A clock that moves on by <paramref name="step"/> each time it is read.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _ticks = -step.Ticks;

        public DateTimeOffset Start { get; } = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        /// <summary>The timestamp read last.</summary>
        public long Last => Interlocked.Read(ref _ticks);

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, step.Ticks);

        public override DateTimeOffset GetUtcNow() => Start;
    }
}
