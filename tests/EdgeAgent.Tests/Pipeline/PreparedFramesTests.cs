using EdgeAgent.Pipeline;

namespace EdgeAgent.Tests.Pipeline;

/// <summary>The hand-over between a stream's preparing and inference threads: order, room, the ends, the stop, no allocation.</summary>
public sealed class PreparedFramesTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Frames_are_taken_in_order_and_the_preparing_side_waits_for_room_until_one_is_done()
    {
        using var frames = new PreparedFrames(2, CancellationToken.None);
        Assert.True(frames.WaitForRoom());
        frames.Add(Slot(0));
        Assert.True(frames.WaitForRoom());
        frames.Add(Slot(1));

        Assert.True(frames.Take(out var first));
        Assert.Equal(0, first.Slot);

        // Taken is still in flight: two are, so no room until the first is done.
        var room = Task.Factory.StartNew(frames.WaitForRoom, TaskCreationOptions.LongRunning);
        await Task.Delay(100);
        Assert.False(room.IsCompleted);
        frames.Done();
        Assert.True(await room.WaitAsync(s_wait));

        Assert.True(frames.Take(out var second));
        Assert.Equal(1, second.Slot);
        Assert.Throws<InvalidOperationException>(() =>
        {
            frames.Add(Slot(0));
            frames.Add(Slot(1));
        });
    }

    [Fact]
    public async Task The_inference_side_takes_what_is_left_after_complete_then_ends()
    {
        using var frames = new PreparedFrames(2, CancellationToken.None);
        var taking = Task.Factory.StartNew(() => frames.Take(out var frame) ? frame.Slot : -1, TaskCreationOptions.LongRunning);
        await Task.Delay(100);
        Assert.False(taking.IsCompleted);
        frames.Add(Slot(1));
        Assert.Equal(1, await taking.WaitAsync(s_wait));

        frames.Add(Slot(0));
        frames.Complete();
        Assert.True(frames.Take(out var last));
        Assert.Equal(0, last.Slot);
        Assert.False(frames.Take(out _));
    }

    [Fact]
    public async Task A_swap_waits_until_every_frame_handed_over_is_done()
    {
        using var frames = new PreparedFrames(2, CancellationToken.None);
        frames.Add(Slot(0));
        frames.Add(Slot(1));

        var idle = Task.Factory.StartNew(frames.WaitUntilIdle, TaskCreationOptions.LongRunning);
        Assert.True(frames.Take(out _));
        frames.Done();
        await Task.Delay(100);
        Assert.False(idle.IsCompleted);
        Assert.True(frames.Take(out _));
        frames.Done();
        Assert.True(await idle.WaitAsync(s_wait));
    }

    [Fact]
    public async Task Once_the_inference_side_closes_the_preparing_side_stops_waiting()
    {
        using var frames = new PreparedFrames(1, CancellationToken.None);
        frames.Add(Slot(0));
        var room = Task.Factory.StartNew(frames.WaitForRoom, TaskCreationOptions.LongRunning);
        var idle = Task.Factory.StartNew(frames.WaitUntilIdle, TaskCreationOptions.LongRunning);

        frames.Close();

        Assert.False(await room.WaitAsync(s_wait));
        Assert.False(await idle.WaitAsync(s_wait));
    }

    [Fact]
    public async Task The_stop_ends_both_sides_waits_with_cancellation()
    {
        using var stop = new CancellationTokenSource();
        using var frames = new PreparedFrames(1, stop.Token);
        frames.Add(Slot(0));
        Assert.True(frames.Take(out _));
        var room = Task.Factory.StartNew(frames.WaitForRoom, TaskCreationOptions.LongRunning);
        var taking = Task.Factory.StartNew(() => frames.Take(out _), TaskCreationOptions.LongRunning);
        await Task.Delay(100);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => room.WaitAsync(s_wait));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => taking.WaitAsync(s_wait));
    }

    [Fact]
    public void A_steady_hand_over_allocates_nothing()
    {
        using var frames = new PreparedFrames(2, CancellationToken.None);
        HandOver(frames, 100);

        var before = GC.GetAllocatedBytesForCurrentThread();
        HandOver(frames, 10_000);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void HandOver(PreparedFrames frames, int count)
    {
        for (var i = 0; i < count; i++)
        {
            frames.WaitForRoom();
            frames.Add(Slot(i % 2));
            frames.Take(out _);
            frames.Done();
        }
    }

    // The hand-over never looks at the model it carries.
    internal static PreparedFrame Slot(int slot) => new(null!, slot);
}
