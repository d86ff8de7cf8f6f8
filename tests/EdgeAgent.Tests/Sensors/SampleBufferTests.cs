using EdgeAgent.Sensors;

namespace EdgeAgent.Tests.Sensors;

public sealed class SampleBufferTests
{
    [Fact]
    public void Samples_wait_in_order_until_the_buffer_is_full_then_new_ones_are_lost_and_counted()
    {
        var buffer = new SampleBuffer(2, 3);
        for (var i = 0; i < 5; i++)
        {
            var row = buffer.Pool.Rent();
            row.Index = i;
            row.Values[0] = i;
            Assert.Equal(i < 3, buffer.Write(row));
        }

        Assert.Equal(2, buffer.Lost);
        Assert.Equal(5, buffer.Written);
        var kept = new List<long>();
        while (buffer.Reader.TryRead(out var row))
        {
            kept.Add(row.Index);
            row.Release();
        }

        Assert.Equal([0L, 1L, 2L], kept);
    }

    [Fact]
    public void Rows_are_reused_so_a_steady_stream_allocates_no_new_ones()
    {
        var buffer = new SampleBuffer(1, 4);
        for (var i = 0; i < 1000; i++)
        {
            buffer.Write(buffer.Pool.Rent());
            Assert.True(buffer.Reader.TryRead(out var row));
            row.Release();
        }

        Assert.Equal(1, buffer.Pool.Created);
        Assert.Equal(0, buffer.Lost);
    }

    [Fact]
    public void Completing_refuses_more_rows_and_keeps_those_queued_for_the_reader()
    {
        var buffer = new SampleBuffer(1, 4);
        buffer.Write(buffer.Pool.Rent());
        buffer.Write(buffer.Pool.Rent());
        buffer.Complete();

        Assert.False(buffer.Write(buffer.Pool.Rent()));
        Assert.Equal(0, buffer.Lost);
        Assert.True(buffer.Reader.TryRead(out _));
        Assert.True(buffer.Reader.TryRead(out _));
        Assert.False(buffer.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_reader_is_woken_once_the_samples_it_wants_are_queued_and_never_waits_for_more_than_the_batch()
    {
        var buffer = new SampleBuffer(1, 100, batch: 8);
        var wait = buffer.WaitToReadAsync(5, CancellationToken.None);
        for (var i = 0; i < 4; i++)
        {
            buffer.Write(buffer.Pool.Rent());
        }

        Assert.False(wait.IsCompleted);
        buffer.Write(buffer.Pool.Rent());
        Assert.True(await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        // Five are queued; a reader that wants a thousand is woken at a batch of eight.
        var capped = buffer.WaitToReadAsync(1000, CancellationToken.None);
        for (var i = 0; i < 2; i++)
        {
            buffer.Write(buffer.Pool.Rent());
        }

        Assert.False(capped.IsCompleted);
        buffer.Write(buffer.Pool.Rent());
        Assert.True(await capped.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_batch_is_at_most_half_the_capacity_so_nothing_is_lost_while_the_reader_sleeps()
    {
        var buffer = new SampleBuffer(1, 6, batch: 100);
        Assert.Equal(3, buffer.Batch);
        var wait = buffer.WaitToReadAsync(100, CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            buffer.Write(buffer.Pool.Rent());
        }

        Assert.True(await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, buffer.Lost);
    }

    [Fact]
    public async Task A_waiting_reader_gets_the_last_rows_when_the_buffer_completes_and_then_learns_the_end()
    {
        var buffer = new SampleBuffer(1, 10, batch: 4);
        var wait = buffer.WaitToReadAsync(4, CancellationToken.None);
        buffer.Write(buffer.Pool.Rent());
        buffer.Complete();

        Assert.True(await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(buffer.Reader.TryRead(out _));
        Assert.False(await buffer.WaitToReadAsync(4, CancellationToken.None));
    }
}
