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
    public void Completing_releases_what_is_queued_and_refuses_more()
    {
        var buffer = new SampleBuffer(1, 4);
        buffer.Write(buffer.Pool.Rent());
        buffer.Write(buffer.Pool.Rent());
        buffer.Complete();

        Assert.False(buffer.Write(buffer.Pool.Rent()));
        Assert.Equal(2, buffer.Pool.Created);
        Assert.False(buffer.Reader.TryRead(out _));
    }
}
