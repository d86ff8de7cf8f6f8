using System.Threading.Channels;
using EdgeAgent.Pipeline;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests.Pipeline;

/// <summary>The stream loop's wait for the next frame: the channel's answer, the stop, and no allocation per wait.</summary>
public sealed class ChannelWaitTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_pending_wait_ends_true_when_an_item_arrives_and_false_once_the_channel_ends()
    {
        var channel = NewestOnly();
        using var wait = new ChannelWait<int>(channel.Reader, CancellationToken.None);

        var arriving = wait.WaitAsync();
        Assert.False(arriving.IsCompleted);
        channel.Writer.TryWrite(1);
        Assert.True(await arriving.AsTask().WaitAsync(s_wait));
        Assert.True(channel.Reader.TryRead(out _));

        var ending = wait.WaitAsync();
        channel.Writer.Complete();
        Assert.False(await ending.AsTask().WaitAsync(s_wait));
    }

    [Fact]
    public async Task The_stop_ends_a_pending_wait_and_every_later_one_with_cancellation()
    {
        var channel = NewestOnly();
        using var stop = new CancellationTokenSource();
        using var wait = new ChannelWait<int>(channel.Reader, stop.Token);

        var pending = wait.WaitAsync();
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.AsTask().WaitAsync(s_wait));
        channel.Writer.TryWrite(1);
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await wait.WaitAsync());
    }

    [Fact]
    public void A_wait_that_has_to_wait_allocates_nothing_though_the_stop_token_can_fire()
    {
        var channel = NewestOnly();
        using var stop = new CancellationTokenSource();
        using var wait = new ChannelWait<int>(channel.Reader, stop.Token);

        var allocated = Allocations.PerWindow(() =>
        {
            var pending = wait.WaitAsync();
            channel.Writer.TryWrite(1);
            var spin = default(SpinWait);
            while (!pending.IsCompleted)
            {
                spin.SpinOnce();
            }

            Assert.True(pending.GetAwaiter().GetResult());
            Assert.True(channel.Reader.TryRead(out _));
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task A_blocking_wait_returns_true_for_an_item_false_once_the_channel_ends_and_throws_on_the_stop()
    {
        var channel = NewestOnly();
        using var stop = new CancellationTokenSource();
        using var wait = new ChannelWait<int>(channel.Reader, stop.Token);

        var arriving = Task.Factory.StartNew(wait.Wait, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.Delay(50);
        Assert.False(arriving.IsCompleted);
        channel.Writer.TryWrite(1);
        Assert.True(await arriving.WaitAsync(s_wait));
        Assert.True(channel.Reader.TryRead(out _));

        var stopped = Task.Factory.StartNew(wait.Wait, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.Delay(50);
        Assert.False(stopped.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => stopped.WaitAsync(s_wait));

        var ended = NewestOnly();
        using var endedWait = new ChannelWait<int>(ended.Reader, CancellationToken.None);
        var ending = Task.Factory.StartNew(endedWait.Wait, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        ended.Writer.Complete();
        Assert.False(await ending.WaitAsync(s_wait));
    }

    [Fact]
    public void A_blocking_wait_that_has_to_wait_allocates_nothing()
    {
        var channel = NewestOnly();
        using var stop = new CancellationTokenSource();
        using var wait = new ChannelWait<int>(channel.Reader, stop.Token);
        using var writer = new Timer(_ => channel.Writer.TryWrite(1));

        var allocated = Allocations.PerWindow(
            () =>
            {
                writer.Change(1, Timeout.Infinite);
                Assert.True(wait.Wait());
                Assert.True(channel.Reader.TryRead(out _));
            },
            warmup: 20,
            repeats: 10);

        Assert.Equal(0, allocated);
    }

    private static Channel<int> NewestOnly() =>
        Channel.CreateBounded<int>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });
}
