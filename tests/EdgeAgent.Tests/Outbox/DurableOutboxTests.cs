using System.Diagnostics;
using System.Text;
using EdgeAgent.Outbox;
using EdgeAgent.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Tests.Outbox;

/// <summary>The on-disk outbox: order, restarts, torn tails, a full outbox and a full disk, and seq continuity.</summary>
public sealed class DurableOutboxTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly string _root = Directory.CreateTempSubdirectory("edge-agent-outbox-").FullName;

    [Fact]
    public async Task Records_arrive_in_order_per_key_with_seq_rising_by_one_and_are_removed_once_acknowledged()
    {
        var publisher = new FakePublisher();
        await using (var outbox = Open())
        {
            for (var i = 0; i < 2000; i++)
            {
                var key = i % 3 == 0 ? "events" : "cam0";
                Assert.True(Enqueue(outbox, key));
            }

            await DrainAsync(outbox, publisher, 2000);
            Assert.Equal(0, outbox.Depth);
        }

        foreach (var key in new[] { "cam0", "events" })
        {
            var seqs = publisher.Sent.Where(s => s.Topic == $"edge/pi-01/{key}").Select(s => long.Parse(s.Payload.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        }

        Assert.True(Directory.GetFiles(Path.Combine(_root, "outbox"), "*.seg").Length <= 2);
    }

    [Fact]
    public async Task Records_small_and_larger_than_the_read_ahead_block_arrive_whole_and_in_order()
    {
        // Sizes around and beyond the reader's 64 KiB block, so records straddle blocks and some bypass them.
        int[] sizes = [100, 70_000, 5_000, 65_530, 300, 140_000, 65_536, 1];
        var publisher = new FakePublisher();
        await using (var outbox = Open())
        {
            for (var i = 0; i < 40; i++)
            {
                Assert.True(Enqueue(outbox, "cam0", sizes[i % sizes.Length]));
            }

            await DrainAsync(outbox, publisher, 40);
        }

        var expected = Enumerable.Range(1, 40).Select(seq => $"seq {seq}".PadRight(Math.Max(sizes[(seq - 1) % sizes.Length], $"seq {seq}".Length), 'x'));
        Assert.Equal(expected, publisher.Sent.Select(s => s.Payload));
    }

    [Fact]
    public async Task After_a_restart_unacknowledged_records_are_sent_and_seq_goes_on()
    {
        await using (var outbox = Open())
        {
            for (var i = 0; i < 100; i++)
            {
                Enqueue(outbox, "cam0");
            }
        }

        var publisher = new FakePublisher();
        await using (var outbox = Open())
        {
            Assert.Equal(100, outbox.Depth);
            Assert.Equal(101, outbox.NextSeq("cam0"));
            await DrainAsync(outbox, publisher, 100);
        }

        Assert.Equal(Enumerable.Range(1, 100).Select(i => $"seq {i}"), publisher.Sent.Select(s => s.Payload));
    }

    [Fact]
    public async Task Records_written_before_a_crash_survive_and_seq_is_never_reused()
    {
        var crashed = Open();
        for (var i = 0; i < 30; i++)
        {
            Enqueue(crashed, "cam0");
        }

        // No dispose: as after SIGKILL, only what reached the files counts (seq.json was never written).
        var publisher = new FakePublisher();
        await using (var outbox = Open())
        {
            Assert.Equal(30, outbox.Depth);
            Assert.Equal(31, outbox.NextSeq("cam0"));
            await DrainAsync(outbox, publisher, 30);
        }

        Assert.Equal(30, publisher.Sent.Count);
    }

    [Fact]
    public async Task Seq_stays_ahead_of_acknowledged_and_deleted_records_after_a_crash()
    {
        var crashed = Open(maxBytes: 1 << 20);
        var publisher = new FakePublisher();
        for (var i = 0; i < 3000; i++)
        {
            Enqueue(crashed, "cam0", payloadBytes: 200);
        }

        await DrainAsync(crashed, publisher, 3000);

        await using var reopened = Open();
        Assert.True(reopened.NextSeq("cam0") > 3000 - 1000, "a seq of a deleted record could come back");
        Assert.True(reopened.NextSeq("cam0") > 2000);
    }

    [Fact]
    public async Task A_torn_tail_is_cut_counted_and_reported_and_the_records_before_it_are_kept()
    {
        await using (var outbox = Open())
        {
            for (var i = 0; i < 10; i++)
            {
                Enqueue(outbox, "cam0");
            }
        }

        var segment = Directory.GetFiles(Path.Combine(_root, "outbox"), "*.seg").Order(StringComparer.Ordinal).First(f => new FileInfo(f).Length > 0);
        var bytes = File.ReadAllBytes(segment);
        File.WriteAllBytes(segment, [.. bytes, .. bytes.AsSpan(0, 20)]);
        var observer = new RecordingOutboxObserver();
        var publisher = new FakePublisher();

        await using (var outbox = Open(observer: observer))
        {
            Assert.Equal(1, outbox.Corrupt);
            Assert.Equal(10, outbox.Depth);
            await DrainAsync(outbox, publisher, 10);
        }

        Assert.Equal(["outbox_corrupt 20"], observer.Events);
    }

    [Fact]
    public async Task A_flipped_byte_is_caught_by_the_crc()
    {
        await using (var outbox = Open())
        {
            for (var i = 0; i < 5; i++)
            {
                Enqueue(outbox, "cam0");
            }
        }

        var segment = Directory.GetFiles(Path.Combine(_root, "outbox"), "*.seg").Order(StringComparer.Ordinal).First(f => new FileInfo(f).Length > 0);
        var bytes = File.ReadAllBytes(segment);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(segment, bytes);

        await using var reopened = Open();
        Assert.Equal(1, reopened.Corrupt);
        Assert.Equal(4, reopened.Depth);
    }

    [Fact]
    public async Task A_full_outbox_drops_the_oldest_counts_and_reports_it_and_keeps_the_newest()
    {
        var observer = new RecordingOutboxObserver();
        var publisher = new FakePublisher();
        await using var outbox = Open(maxBytes: 256 * 1024, observer: observer);
        for (var i = 0; i < 4000; i++)
        {
            Enqueue(outbox, "cam0", payloadBytes: 300);
        }

        Assert.True(outbox.Dropped > 0);
        Assert.True(outbox.Bytes <= 256 * 1024);
        Assert.StartsWith("outbox_full ", observer.Events.First(), StringComparison.Ordinal);
        var kept = outbox.Depth;
        await DrainAsync(outbox, publisher, kept);
        Assert.Equal(4000, kept + outbox.Dropped);
        Assert.EndsWith("seq 4000", publisher.Sent.Last().Payload.TrimEnd('x'), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_the_broker_refuses_is_counted_and_the_rest_go_on()
    {
        var publisher = new FakePublisher(refuse: topic => topic.EndsWith("/events", StringComparison.Ordinal));
        await using var outbox = Open();
        Enqueue(outbox, "cam0");
        Enqueue(outbox, "events");
        Enqueue(outbox, "cam0");

        await DrainAsync(outbox, publisher, 2);

        Assert.Equal(1, outbox.Refused);
        Assert.Equal(0, outbox.Depth);
    }

    [Fact]
    public async Task Appending_allocates_nothing_in_steady_state()
    {
        await using var outbox = Open();
        var payload = new byte[300];

        Assert.Equal(0, Allocations.PerWindow(() => outbox.Enqueue("cam0", outbox.NextSeq("cam0"), "edge/pi-01/results/cam0", 1, payload), repeats: 200));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private DurableOutbox Open(long maxBytes = 64L * 1024 * 1024, IOutboxObserver? observer = null, string? directory = null)
    {
        var outbox = new DurableOutbox(
            new OutboxSettings { Directory = directory ?? Path.Combine(_root, "outbox"), SequenceFile = Path.Combine(_root, "seq.json"), MaxBytes = maxBytes },
            observer ?? new RecordingOutboxObserver(),
            NullLogger.Instance,
            TimeProvider.System);
        outbox.Open();
        return outbox;
    }

    private static bool Enqueue(DurableOutbox outbox, string key, int payloadBytes = 0)
    {
        var seq = outbox.NextSeq(key);
        var text = $"seq {seq}";
        var payload = Encoding.UTF8.GetBytes(text.PadRight(Math.Max(payloadBytes, text.Length), 'x'));
        return outbox.Enqueue(key, seq, $"edge/pi-01/{key}", 1, payload);
    }

    private static async Task DrainAsync(DurableOutbox outbox, FakePublisher publisher, long expected)
    {
        using var stop = new CancellationTokenSource();
        var running = outbox.PublishAsync(publisher, stop.Token);
        var watch = Stopwatch.StartNew();
        while (outbox.Depth > 0 || publisher.Sent.Count + outbox.Refused < expected)
        {
            Assert.True(watch.Elapsed < s_wait, $"{publisher.Sent.Count} of {expected} published, depth {outbox.Depth}");
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }
}
