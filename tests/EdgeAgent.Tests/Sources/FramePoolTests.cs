using EdgeAgent.Sources;

namespace EdgeAgent.Tests.Sources;

/// <summary>The frame pool: reserved frames are handed out before any new one, and a returned frame is reused.</summary>
public sealed class FramePoolTests
{
    [Fact]
    public void Reserved_frames_are_rented_before_any_is_allocated_and_returned_ones_come_back()
    {
        var returns = 0;
        var pool = new FramePool(16, () => returns++);
        pool.Reserve(3);
        Assert.Equal(3, pool.Created);

        var rented = new[] { pool.Rent(), pool.Rent(), pool.Rent() };
        Assert.Equal(3, pool.Created);
        Assert.Equal(3, rented.Distinct().Count());

        var fourth = pool.Rent();
        Assert.Equal(4, pool.Created);

        fourth.Release();
        Assert.Same(fourth, pool.Rent());
        Assert.Equal(1, returns);

        pool.Reserve(2);
        Assert.Equal(4, pool.Created);
    }
}
