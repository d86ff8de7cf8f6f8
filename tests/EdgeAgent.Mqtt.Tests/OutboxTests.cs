using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using EdgeAgent.Mqtt.Outbox;

namespace EdgeAgent.Mqtt.Tests;

[Collection(SharedBroker.Name)]
public sealed class OutboxTests(BrokerFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("outbox-").FullName;
    private readonly ConcurrentQueue<OutboxNotice> _notices = new();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Records_reach_the_broker_in_order_with_seq_rising_per_stream_and_leave_the_outbox_once_acknowledged()
    {
        await using var subscriber = await TestClients.ConnectAsync(fixture.Broker.Port, "obsub");
        var received = await subscriber.CollectAsync("outbox/+/results/+");
        await using var publisher = await TestClients.ConnectAsync(fixture.Broker.Port, "obpub");
        await using var outbox = Open();
        using var stop = new CancellationTokenSource();
        var running = outbox.RunAsync(publisher, stop.Token);

        for (var i = 0; i < 200; i++)
        {
            var stream = i % 2 == 0 ? "cam0" : "cam1";
            Assert.True(outbox.TryEnqueue(stream, $"outbox/pi/results/{stream}", MqttQos.AtLeastOnce, false, WriteSeq, i, out var seq));
            Assert.Equal(i / 2 + 1, seq);
        }

        var last = new Dictionary<string, long> { ["outbox/pi/results/cam0"] = 0, ["outbox/pi/results/cam1"] = 0 };
        for (var i = 0; i < 200; i++)
        {
            var message = await received.NextAsync();
            var seq = BinaryPrimitives.ReadInt64LittleEndian(message.Payload.Span);
            Assert.Equal(last[message.Topic] + 1, seq);
            last[message.Topic] = seq;
        }

        await WaitUntilAsync(() => outbox.Statistics.Records == 0);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task Unacknowledged_records_survive_a_restart_and_seq_continues_where_it_stopped()
    {
        await using (var outbox = Open())
        {
            for (var i = 0; i < 50; i++)
            {
                outbox.TryEnqueue("cam0", "outbox/restart", MqttQos.AtLeastOnce, false, WriteSeq, i, out _);
            }
        }

        var publisher = new RecordingPublisher();
        await using (var reopened = Open())
        {
            Assert.Equal(50, reopened.Statistics.Records);
            reopened.TryEnqueue("cam0", "outbox/restart", MqttQos.AtLeastOnce, false, WriteSeq, 0, out var seq);
            Assert.Equal(51, seq);

            using var stop = new CancellationTokenSource();
            var running = reopened.RunAsync(publisher, stop.Token);
            await WaitUntilAsync(() => reopened.Statistics.Records == 0);
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        }

        Assert.Equal(Enumerable.Range(1, 51).Select(i => (long)i), publisher.Seqs);
        await using var empty = Open();
        Assert.Equal(0, empty.Statistics.Records);
    }

    [Fact]
    public async Task A_torn_tail_is_found_by_its_crc_skipped_counted_and_reported_and_the_records_before_it_are_kept()
    {
        await using (var outbox = Open())
        {
            for (var i = 0; i < 10; i++)
            {
                outbox.TryEnqueue("cam0", "outbox/torn", MqttQos.AtLeastOnce, false, WriteSeq, i, out _);
            }
        }

        var segment = Directory.GetFiles(_directory, "*.seg").Order().Last();
        await using (var file = new FileStream(segment, FileMode.Append))
        {
            file.Write([40, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7]);
        }

        await using var reopened = Open();
        Assert.Equal(10, reopened.Statistics.Records);
        Assert.Equal(1, reopened.Statistics.Corrupt);
        Assert.Contains(_notices, n => n.Kind == OutboxNoticeKind.Corrupt);
        reopened.TryEnqueue("cam0", "outbox/torn", MqttQos.AtLeastOnce, false, WriteSeq, 0, out var seq);
        Assert.Equal(11, seq);
    }

    [Fact]
    public async Task A_full_outbox_drops_the_oldest_records_counts_and_reports_them_and_keeps_the_newest()
    {
        var publisher = new RecordingPublisher();
        await using (var outbox = Open(maxBytes: 16 * 1024, segmentBytes: 4096))
        {
            for (var i = 0; i < 500; i++)
            {
                Assert.True(outbox.TryEnqueue("cam0", "outbox/full", MqttQos.AtLeastOnce, false, WriteSeq, i, out _));
            }

            var statistics = outbox.Statistics;
            Assert.True(statistics.Dropped > 0);
            Assert.True(statistics.Bytes <= 16 * 1024);
            Assert.Equal(500, statistics.Records + statistics.Dropped);
            Assert.Contains(_notices, n => n.Kind == OutboxNoticeKind.Full);

            using var stop = new CancellationTokenSource();
            var running = outbox.RunAsync(publisher, stop.Token);
            await WaitUntilAsync(() => outbox.Statistics.Records == 0);
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        }

        Assert.Equal(500, publisher.Seqs.Last());
        Assert.Equal(Enumerable.Range((int)publisher.Seqs[0], publisher.Seqs.Count).Select(i => (long)i), publisher.Seqs);
    }

    private static void WriteSeq(IBufferWriter<byte> payload, long seq, int state)
    {
        BinaryPrimitives.WriteInt64LittleEndian(payload.GetSpan(32), seq);
        payload.Advance(32);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TestClients.Timeout);
        while (!condition())
        {
            await Task.Delay(10, limit.Token);
        }
    }

    private Outbox.Outbox Open(long maxBytes = 1024 * 1024, int segmentBytes = 64 * 1024) =>
        Outbox.Outbox.Open(new OutboxOptions { Directory = _directory, MaxBytes = maxBytes, SegmentBytes = segmentBytes }, _notices.Enqueue);

    private sealed class RecordingPublisher : IMqttPublisher
    {
        public List<long> Seqs { get; } = [];

        public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain = false, CancellationToken cancellationToken = default)
        {
            Seqs.Add(BinaryPrimitives.ReadInt64LittleEndian(payload.Span));
            return ValueTask.CompletedTask;
        }
    }
}
