using EdgeAgent.Outbox;

namespace EdgeAgent.Tests.Outbox;

/// <summary>The acknowledged position, overwritten in place: read back exactly, and a torn or altered one reads as none.</summary>
public sealed class AcknowledgedCursorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-agent-cursor-").FullName;

    private string CursorPath => Path.Combine(_directory, "cursor.json");

    [Fact]
    public void The_last_saved_position_is_read_back_even_when_an_earlier_one_was_longer()
    {
        using (var cursor = new AcknowledgedCursor(CursorPath))
        {
            cursor.Save(123_456_789_012, 4_000_000_000);
            cursor.Save(7, 42);
        }

        Assert.Equal((7L, 42L), AcknowledgedCursor.Load(CursorPath));
    }

    [Fact]
    public void A_position_that_fails_its_check_reads_as_none_so_everything_on_disk_is_sent_again()
    {
        using (var cursor = new AcknowledgedCursor(CursorPath))
        {
            cursor.Save(3, 1_000);
        }

        // As a torn write could leave it: another offset beside the old check value.
        File.WriteAllText(CursorPath, File.ReadAllText(CursorPath).Replace("\"offset\":1000", "\"offset\":9000", StringComparison.Ordinal));
        Assert.Equal((0L, 0L), AcknowledgedCursor.Load(CursorPath));

        File.WriteAllText(CursorPath, "{\"segment\":3,\"off");
        Assert.Equal((0L, 0L), AcknowledgedCursor.Load(CursorPath));
    }

    [Fact]
    public void No_file_is_no_position()
    {
        Assert.Equal((0L, 0L), AcknowledgedCursor.Load(CursorPath));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
