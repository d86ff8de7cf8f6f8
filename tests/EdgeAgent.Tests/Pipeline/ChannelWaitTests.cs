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

    private static Channel<int> NewestOnly() =>
        Channel.CreateBounded<int>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });
}
