using EdgeAgent.Models;
using EdgeAgent.Storage;

namespace EdgeAgent.Tests.Models;

/// <summary>state.json and the atomic replacement under it.</summary>
public sealed class StateFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-agent-state-").FullName;

    [Fact]
    public void State_round_trips_with_snake_case_names_and_no_temporary_file_left()
    {
        var file = new StateFile(Path.Combine(_directory, "state.json"));
        var state = new AgentState();
        var model = state.For("classifier");
        model.Active = 4;
        model.Previous = 3;
        model.Committed = 3;
        model.Pinned = 3;
        model.Saw("u-1");
        state.KeyIssuedAt["abc"] = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

        file.Save(state);
        var loaded = file.Load();

        var text = File.ReadAllText(file.Path);
        Assert.Contains("\"update_ids_seen\"", text, StringComparison.Ordinal);
        Assert.Contains("\"key_issued_at\"", text, StringComparison.Ordinal);
        var again = loaded.Models["classifier"];
        Assert.Equal((4, 3, 3, (int?)3), (again.Active, again.Previous, again.Committed, again.Pinned));
        Assert.Equal(["u-1"], again.UpdateIdsSeen);
        Assert.Equal(state.KeyIssuedAt["abc"], loaded.KeyIssuedAt["abc"]);
        Assert.Equal(["state.json"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void A_missing_file_is_an_empty_state_and_a_corrupt_one_is_named()
    {
        var file = new StateFile(Path.Combine(_directory, "state.json"));
        Assert.Empty(file.Load().Models);

        File.WriteAllText(file.Path, "{\"models\": [");
        var error = Assert.Throws<InvalidDataException>(file.Load);
        Assert.Contains(file.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_ids_seen_are_bounded_and_forget_the_oldest_first()
    {
        var model = new ModelState();
        for (var i = 0; i < ModelState.UpdateIdsKept + 10; i++)
        {
            model.Saw($"u-{i}");
        }

        model.Saw("u-20");
        Assert.Equal(ModelState.UpdateIdsKept, model.UpdateIdsSeen.Count);
        Assert.Equal("u-10", model.UpdateIdsSeen[0]);
    }

    [Fact]
    public void An_atomic_write_replaces_the_whole_file()
    {
        var path = Path.Combine(_directory, "x.json");
        AtomicFile.Write(path, "a much longer first content"u8);
        AtomicFile.Write(path, "short"u8);
        Assert.Equal("short", File.ReadAllText(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
