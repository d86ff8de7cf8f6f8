using EdgeAgent.Models;

namespace EdgeAgent.Tests.Models;

/// <summary>Which version a start serves, installing and pruning.</summary>
public sealed class ModelStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("edge-agent-store-").FullName;

    private ModelStore Store => new(Path.Combine(_root, "store"), Path.Combine(_root, "bundled"), 3);

    [Fact]
    public void The_highest_bundled_version_serves_when_nothing_was_committed()
    {
        Version("bundled", 1);
        Version("bundled", 2);
        var state = new ModelState();

        Assert.Equal((2, (string?)null), Store.Resolve("classifier", state));
        Assert.Equal((2, 2), (state.Active, state.Committed));
    }

    [Fact]
    public void A_crash_during_probation_serves_the_committed_version()
    {
        Version("bundled", 1);
        Version("store", 2);
        Version("store", 3);
        var state = new ModelState { Active = 3, Previous = 2, Committed = 2, ProbationSince = DateTimeOffset.UnixEpoch };

        var (version, note) = Store.Resolve("classifier", state);

        Assert.Equal(2, version);
        Assert.Contains("version 3 was on probation", note, StringComparison.Ordinal);
        Assert.Equal((2, 2, (DateTimeOffset?)null), (state.Active, state.Committed, state.ProbationSince));
    }

    [Fact]
    public void A_pin_wins_and_a_higher_bundled_version_is_a_package_upgrade()
    {
        Version("bundled", 5);
        Version("store", 3);
        Version("store", 4);
        Assert.Equal(3, Store.Resolve("classifier", new ModelState { Active = 3, Committed = 3, Pinned = 3 }).Version);

        var upgraded = new ModelState { Active = 4, Committed = 4 };
        var (version, note) = Store.Resolve("classifier", upgraded);
        Assert.Equal(5, version);
        Assert.Contains("package upgrade", note, StringComparison.Ordinal);
        Assert.Equal(4, upgraded.Previous);
    }

    [Fact]
    public void No_version_anywhere_names_both_places()
    {
        var error = Assert.Throws<InvalidDataException>(() => Store.Resolve("classifier", new ModelState()));
        Assert.Contains(Path.Combine(_root, "bundled", "classifier"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_moves_the_unpacked_directory_and_prune_keeps_the_versions_in_use_and_the_newest()
    {
        for (var v = 1; v <= 6; v++)
        {
            Version("store", v);
        }

        var unpacked = Directory.CreateDirectory(Path.Combine(_root, "store", ".staging", "u")).FullName;
        File.WriteAllText(Path.Combine(unpacked, "model.onnx"), "new");
        Store.Install("classifier", 7, unpacked);
        Assert.False(Directory.Exists(unpacked));
        Assert.Equal("new", File.ReadAllText(Path.Combine(_root, "store", "classifier", "7", "model.onnx")));

        var removed = Store.Prune("classifier", new ModelState { Active = 7, Previous = 2, Committed = 2 });

        Assert.Equal([5, 4, 3, 1], removed);
        Assert.True(Store.Has("classifier", 2));
        Assert.True(Store.Has("classifier", 6));
        Assert.True(Store.Has("classifier", 7));
        Assert.False(Store.Has("classifier", 5));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Version(string where, int version)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, where, "classifier", version.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
        File.WriteAllText(Path.Combine(directory, "model.onnx"), where);
    }
}
