using System.Diagnostics;
using EdgeAgent.Outbox;
using EdgeAgent.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Tests.Outbox;

/// <summary>The outbox on a real, tiny tmpfs the test mounts (CI runs as root): a full disk loses nothing queued.</summary>
public sealed class FullDiskTests : IAsyncLifetime
{
    private readonly string _mount = Directory.CreateTempSubdirectory("edge-agent-full-disk-").FullName;

    public async Task InitializeAsync()
    {
        var mounted = await ChildProcess.RunAsync("mount", ["-t", "tmpfs", "-o", "size=192k", "tmpfs", _mount], TimeSpan.FromSeconds(30));
        Assert.True(mounted.ExitCode == 0, $"mounting a test tmpfs needs root: {mounted.StandardError}");
    }

    [Fact]
    public async Task A_full_disk_is_reported_and_counted_and_every_record_accepted_before_it_is_still_published()
    {
        var observer = new RecordingOutboxObserver();
        var publisher = new FakePublisher();
        var outbox = new DurableOutbox(
            new OutboxSettings { Directory = Path.Combine(_mount, "outbox"), SequenceFile = Path.Combine(_mount, "seq.json"), MaxBytes = 64L * 1024 * 1024 },
            observer,
            NullLogger.Instance,
            TimeProvider.System);
        outbox.Open();
        var payload = new byte[300];
        var accepted = 0;
        var refusedInARow = 0;
        for (var i = 0; i < 2000 && refusedInARow < 5; i++)
        {
            var written = outbox.Enqueue("cam0", outbox.NextSeq("cam0"), "edge/pi-01/results/cam0", 1, payload);
            accepted += written ? 1 : 0;
            refusedInARow = written ? 0 : refusedInARow + 1;
        }

        Assert.True(outbox.WriteFailures >= 5);
        Assert.StartsWith("disk_full: ", observer.Events.First(), StringComparison.Ordinal);
        Assert.Equal(accepted, outbox.Depth);

        using var stop = new CancellationTokenSource();
        var running = outbox.PublishAsync(publisher, stop.Token);
        var watch = Stopwatch.StartNew();
        while (publisher.Sent.Count < accepted || outbox.Depth > 0)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{publisher.Sent.Count} of {accepted} published");
            await Task.Delay(10);
        }

        Assert.True(outbox.Enqueue("cam0", outbox.NextSeq("cam0"), "edge/pi-01/results/cam0", 1, payload), "space freed by acknowledged records is used again");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await outbox.DisposeAsync();
    }

    public async Task DisposeAsync()
    {
        await ChildProcess.RunAsync("umount", [_mount], TimeSpan.FromSeconds(30));
        Directory.Delete(_mount, recursive: true);
    }
}
