using EdgeAgent.Pipeline;

namespace EdgeAgent.Tests.Pipeline;

/// <summary>
/// The hand-over between a stream's preparing and inference threads: order, room, which side finishes an inferred frame,
/// the ends, the stop, no allocation.
/// </summary>
public sealed class PreparedFramesTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Frames_are_taken_in_order_and_the_preparing_side_waits_for_room_until_one_is_done()
    {
        using var frames = new PreparedFrames(2, NoFinish, CancellationToken.None);
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
        frames.Done(inferred: true);
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
        using var frames = new PreparedFrames(2, NoFinish, CancellationToken.None);
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
    public async Task A_swap_waits_until_every_frame_handed_over_is_finished()
    {
        var finished = new Finished();
        using var frames = FirstInferredSecondQueued(finished);

        var idle = Task.Factory.StartNew(frames.WaitUntilIdle, TaskCreationOptions.LongRunning);
        await Task.Delay(100);
        Assert.False(idle.IsCompleted);
        Assert.True(frames.Take(out _));
        frames.Done(inferred: true);
        Assert.True(await idle.WaitAsync(s_wait));
        Assert.Equal([0, 1], finished.Slots);
    }

    [Fact]
    public void A_frame_inferred_with_none_queued_behind_it_is_finished_by_the_inference_side_at_once()
    {
        var finished = new Finished();
        using var frames = new PreparedFrames(2, finished.Record, CancellationToken.None);
        frames.Add(Slot(0));
        Assert.True(frames.Take(out _));

        frames.Done(inferred: true);

        Assert.Equal([(0, Environment.CurrentManagedThreadId)], finished.Calls);
        frames.Add(Slot(1));
        frames.Add(Slot(0));
    }

    [Fact]
    public async Task While_every_slot_is_in_flight_and_a_frame_is_queued_the_preparing_side_finishes_the_inferred_one_and_the_inference_side_goes_on()
    {
        var finished = new Finished();
        using var frames = FirstInferredSecondQueued(finished);

        Assert.Empty(finished.Calls);
        Assert.True(frames.Take(out var next));
        Assert.Equal(1, next.Slot);
        var preparing = Task.Factory.StartNew(
            () => (frames.WaitForRoom(), Environment.CurrentManagedThreadId),
            TaskCreationOptions.LongRunning);
        var (room, preparer) = await preparing.WaitAsync(s_wait);
        Assert.True(room);
        Assert.Equal([(0, preparer)], finished.Calls);

        // Slot 1 is the last in flight, with nothing queued behind it: finished here.
        frames.Done(inferred: true);
        Assert.Equal([0, 1], finished.Slots);
        Assert.Equal(Environment.CurrentManagedThreadId, finished.Calls[1].Thread);
    }

    [Fact]
    public void A_failed_frame_is_not_finished_and_frees_its_slot_while_the_frame_inferred_before_it_still_is()
    {
        var finished = new Finished();
        using var frames = FirstInferredSecondQueued(finished);
        Assert.True(frames.Take(out _));

        frames.Done(inferred: false);

        Assert.Equal([0], finished.Slots);
        Assert.True(frames.WaitForRoom());
        frames.Add(Slot(0));
        frames.Add(Slot(1));
    }

    [Fact]
    public async Task Results_keep_the_order_of_their_frames_whichever_side_finishes_them()
    {
        // The first frames' inference is slow, so frames queue behind it and the preparing side finishes them; then it
        // takes random short whiles, shorter than a finish, so that a frame is often inferred while the preparing side
        // still finishes the one before (were both sides let finish at once, 6 runs of 6 failed). The inference side
        // finishes the last frame, with nothing queued behind it.
        const int slow = 25;
        const int count = slow + 400;
        var finished = new Finished(spinUpTo: 2_000);
        using var frames = new PreparedFrames(2, finished.Record, CancellationToken.None);
        var inferring = Task.Factory.StartNew(
            () =>
            {
                for (var taken = 0; frames.Take(out _); taken++)
                {
                    if (taken < slow)
                    {
                        Thread.Sleep(1);
                    }
                    else
                    {
                        Thread.SpinWait(Random.Shared.Next(400));
                    }

                    frames.Done(inferred: true);
                }
            },
            TaskCreationOptions.LongRunning);

        for (var i = 0; i < count; i++)
        {
            Assert.True(frames.WaitForRoom());
            frames.Add(Slot(i % 2));
        }

        frames.Complete();
        await inferring.WaitAsync(s_wait);

        Assert.Equal(Enumerable.Range(0, count).Select(i => i % 2), finished.Slots);
        Assert.Equal(2, finished.Calls.Select(c => c.Thread).Distinct().Count());
    }

    [Fact]
    public void A_finish_that_throws_reaches_the_side_that_ran_it_and_frees_its_slot()
    {
        var finished = new Finished();
        var throwing = true;
        using var frames = new PreparedFrames(
            1,
            frame =>
            {
                if (throwing)
                {
                    throw new InvalidOperationException("payload too large");
                }

                finished.Record(frame);
            },
            CancellationToken.None);
        frames.Add(Slot(0));
        Assert.True(frames.Take(out _));

        Assert.Equal("payload too large", Assert.Throws<InvalidOperationException>(() => frames.Done(inferred: true)).Message);

        throwing = false;
        Assert.True(frames.WaitForRoom());
        frames.Add(Slot(0));
        Assert.True(frames.Take(out _));
        frames.Done(inferred: true);
        Assert.Equal([0], finished.Slots);
    }

    [Fact]
    public async Task Once_the_inference_side_closes_the_preparing_side_stops_waiting()
    {
        using var frames = new PreparedFrames(1, NoFinish, CancellationToken.None);
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
        using var frames = new PreparedFrames(1, NoFinish, stop.Token);
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
        using var frames = new PreparedFrames(2, NoFinish, CancellationToken.None);
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
            frames.Done(inferred: true);
        }
    }

    /// <summary>Both slots in flight: slot 0 inferred (left to the preparing side to finish), slot 1 queued behind it.</summary>
    private static PreparedFrames FirstInferredSecondQueued(Finished finished)
    {
        var frames = new PreparedFrames(2, finished.Record, CancellationToken.None);
        frames.Add(Slot(0));
        frames.Add(Slot(1));
        Assert.True(frames.Take(out _));
        frames.Done(inferred: true);
        return frames;
    }

    internal static void NoFinish(PreparedFrame frame)
    {
    }

    // The hand-over never looks at the model it carries.
    internal static PreparedFrame Slot(int slot) => new(null!, slot);

    /// <summary>Each finish called: the frame's slot and the thread it ran on; spinning a random while, up to <c>spinUpTo</c>, in each.</summary>
    private sealed class Finished(int spinUpTo = 0)
    {
        private readonly List<(int Slot, int Thread)> _calls = [];

        public IReadOnlyList<(int Slot, int Thread)> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        public IEnumerable<int> Slots => Calls.Select(c => c.Slot);

        public void Record(PreparedFrame frame)
        {
            if (spinUpTo > 0)
            {
                Thread.SpinWait(Random.Shared.Next(spinUpTo));
            }

            lock (_calls)
            {
                _calls.Add((frame.Slot, Environment.CurrentManagedThreadId));
            }
        }
    }
}
