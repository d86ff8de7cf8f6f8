using System.Diagnostics;
using EdgeAgent.Pipeline;

namespace EdgeAgent.Tests.Pipeline;

/// <summary>The preparing side's nap, counted in wake-ups: alone, so that fewer runs end late.</summary>
[Collection(AloneGroup.Name)]
public sealed class PreparedFramesNapTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task While_a_frame_waits_behind_the_one_inferred_the_preparing_side_naps_instead_of_being_woken()
    {
        const int count = 40;
        using var frames = new PreparedFrames(2, PreparedFramesTests.NoFinish, CancellationToken.None);
        var overran = 0;
        var inferring = Task.Factory.StartNew(
            () =>
            {
                var slots = new List<int>();
                var last = 0L;
                for (var i = 0; i < count; i++)
                {
                    Assert.True(frames.Take(out var frame));
                    var taken = Stopwatch.GetTimestamp();
                    slots.Add(frame.Slot);
                    Thread.Sleep(6); // an inference
                    var run = Stopwatch.GetTimestamp() - taken;
                    frames.Done(inferred: true);

                    // A run with no run before it, or longer than the one before by more than the nap's eighth, may need a
                    // wake-up: on a busy machine a 6 ms sleep often ends a few milliseconds late.
                    if (last == 0 || run > last + (last / 8))
                    {
                        overran++;
                    }

                    last = run;
                }

                return slots;
            },
            TaskCreationOptions.LongRunning);

        for (var i = 0; i < count; i++)
        {
            Assert.True(frames.WaitForRoom());
            frames.Add(PreparedFramesTests.Slot(i % 2));
        }

        var slots = await inferring.WaitAsync(s_wait);

        Assert.Equal(Enumerable.Range(0, count).Select(i => i % 2), slots);
        // Blocking for every frame would take a wake-up per frame (38 of 40 measured). The naps leave the first runs
        // (no run's length known yet, both slots filled before the first take: up to 6 of 40 seen on an idle machine)
        // and each run that overran: with the full test suite beside it, 22 and 33 wake-ups of 40.
        Assert.InRange(frames.Wakes, 1, (count / 4) + overran);
    }
}
