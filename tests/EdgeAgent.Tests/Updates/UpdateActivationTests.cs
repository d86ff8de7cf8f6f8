using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Testing;
using EdgeAgent.Tests.Pipeline;

namespace EdgeAgent.Tests.Updates;

/// <summary>Activation, probation, commit and rollback (CONTRACT.md section 7, steps 5 to 7), groups, resume and rollback commands.</summary>
[Collection(OrtEnvironmentGroup.Name)]
public sealed class UpdateActivationTests(OrtEnvironmentFixture ort)
{
    private const string Model = "demo-classifier";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_update_activates_between_frames_passes_probation_and_is_committed_and_pruned_to_keep_versions()
    {
        await using var device = new UpdateHarness(ort.Environment);
        var sink = device.AddStream("cam0");
        Assert.Equal(1, NextVersion(sink));

        device.Push("u-2", device.Descriptor(2), SignedUpdate.Bundle(SignedUpdate.DemoClassifier, device.Descriptor(2)));

        Assert.Equal("probation", device.Update.GetProperty("state").GetString());
        var state = device.StateFile.Load().For(Model);
        Assert.Equal((2, 1, 1), (state.Active, state.Previous, state.Committed));
        var result = NextResultOf(sink, 2);
        var installed = device.Store.Open(Model, 2);
        Assert.Equal(installed.Sha256, result.GetProperty("model").GetProperty("sha256").GetString());
        Assert.True(File.Exists(Path.Combine(installed.Directory, "manifest.json")));
        Assert.Single(device.Events("model_activated"));

        device.JudgeUntil("committed");
        Assert.Contains("probation passed", device.Events("model_committed").Single(), StringComparison.Ordinal);
        Assert.Equal(2, device.StateFile.Load().For(Model).Committed);
        Assert.Equal(2, device.Models.GetProperty(Model).GetProperty("committed").GetProperty("version").GetInt32());

        for (var version = 3; version <= 5; version++)
        {
            device.Push($"u-{version}", device.Descriptor(version), SignedUpdate.Bundle(SignedUpdate.DemoClassifier, device.Descriptor(version)));
            device.JudgeUntil("committed");
        }

        // Kept: 5 (active, committed), 4 (previous) and the newest others up to KeepVersions 3; bundled 1 stays.
        Assert.Equal(["3", "4", "5"], Directory.GetDirectories(Path.Combine(device.Store.StorePath, Model)).Select(Path.GetFileName).Order());
        Assert.True(device.Store.Has(Model, 1));
    }

    [Fact]
    public async Task An_offer_during_probation_is_received_and_queued_then_validated_and_activated_once_the_probation_ends()
    {
        await using var device = new UpdateHarness(ort.Environment);
        var sink = device.AddStream("cam0");
        device.Push("u-2", device.Descriptor(2), SignedUpdate.Bundle(SignedUpdate.DemoClassifier, device.Descriptor(2)));
        Assert.Equal("probation", device.Update.GetProperty("state").GetString());

        device.Push("u-3", device.Descriptor(3), SignedUpdate.Bundle(SignedUpdate.DemoClassifier, device.Descriptor(3)));

        Assert.Equal(("u-3", "queued"), (device.Update.GetProperty("update_id").GetString(), device.Update.GetProperty("state").GetString()));
        Assert.Empty(device.Events("model_rejected"));
        Assert.Equal(2, device.Registry.Current(Model)!.Package.Version);
        device.Done("u-3");
        Assert.Equal("queued", device.Update.GetProperty("state").GetString());

        device.JudgeUntil("probation");

        Assert.Equal("u-3", device.Update.GetProperty("update_id").GetString());
        Assert.Single(device.Events("model_committed"));
        Assert.Equal(2, device.StateFile.Load().For(Model).Committed);
        NextResultOf(sink, 3);
        device.JudgeUntil("committed");
        Assert.Equal(3, device.StateFile.Load().For(Model).Committed);
    }

    [Fact]
    public async Task A_queued_offer_gives_way_to_a_newer_offer_which_is_refused_when_its_turn_comes_if_no_longer_newer_than_the_committed_version()
    {
        await using var device = new UpdateHarness(ort.Environment);
        device.AddStream("cam0");
        device.Push("u-2", device.Descriptor(2), SignedUpdate.Bundle(SignedUpdate.DemoClassifier, device.Descriptor(2)));
        device.Push("u-3", device.Descriptor(3), SignedUpdate.Bundle(SignedUpdate.DemoClassifier, device.Descriptor(3)));

        device.Push("u-2-again", device.Descriptor(2), SignedUpdate.Bundle(SignedUpdate.DemoClassifier, device.Descriptor(2)));

        Assert.Equal("superseded by update u-2-again", device.Events("model_rejected").Single());
        Assert.Equal("queued", device.Update.GetProperty("state").GetString());

        device.JudgeUntil("rejected");

        Assert.Equal("u-2-again", device.Update.GetProperty("update_id").GetString());
        Assert.Equal("version 2 is not newer than the committed version 2 (going back takes a signed rollback)", device.Events("model_rejected")[1]);
        Assert.Equal(2, device.Registry.Current(Model)!.Package.Version);
        Assert.Empty(Directory.GetDirectories(device.StagingPath));
    }

    [Fact]
    public async Task A_model_that_validates_but_gives_nan_on_live_frames_is_rolled_back_by_itself()
    {
        await using var device = new UpdateHarness(ort.Environment);
        var sink = device.AddStream("cam0");
        var poisoned = PoisonedModel(device.Root);
        var descriptor = device.Descriptor(2, poisoned);
        device.Push("u-nan", descriptor, SignedUpdate.Bundle(poisoned, descriptor));
        Assert.Equal("probation", device.Update.GetProperty("state").GetString());

        device.JudgeUntil("rolled_back");

        Assert.Contains("held NaN or infinity on live frame", device.Update.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("held NaN", device.Events("model_rolled_back").Single(), StringComparison.Ordinal);
        var state = device.StateFile.Load().For(Model);
        Assert.Equal((1, 1, 2), (state.Active, state.Committed, state.Previous));
        NextResultOf(sink, 1);
    }

    [Fact]
    public async Task Probation_without_enough_inferences_by_max_wait_seconds_rolls_back_as_starved()
    {
        await using var device = new UpdateHarness(ort.Environment, o => o.Models.Probation.MinInferences = 1_000_000);
        device.AddStream("cam0");
        device.Push("u-starved", device.Descriptor(2), SignedUpdate.Bundle(SignedUpdate.DemoClassifier, device.Descriptor(2)));

        device.Time.Advance(TimeSpan.FromSeconds(31));
        device.Manager.Tick(CancellationToken.None);

        Assert.Equal("rolled_back", device.Update.GetProperty("state").GetString());
        Assert.Contains("starved: only", device.Update.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, device.Registry.Current(Model)!.Package.Version);
    }

    [Fact]
    public async Task A_signed_rollback_goes_back_and_pins_and_a_replayed_or_unsigned_one_is_refused()
    {
        await using var device = new UpdateHarness(ort.Environment);
        device.Push("u-2", device.Descriptor(2), SignedUpdate.Bundle(SignedUpdate.DemoClassifier, device.Descriptor(2)));
        Assert.Equal("committed", device.Update.GetProperty("state").GetString());
        var issued = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var command = SignedUpdate.Rollback(Model, "previous", SignedUpdate.Device("pi-01"), issued, device.Key);

        device.Rollback(command);

        var state = device.StateFile.Load().For(Model);
        Assert.Equal((1, 1, (int?)1, 2), (state.Active, state.Committed, state.Pinned, state.Previous));
        Assert.Equal(1, device.Registry.Current(Model)!.Package.Version);
        Assert.Contains("pinned until a newer push", device.Events("model_rolled_back").Single(), StringComparison.Ordinal);

        device.Rollback(command);
        device.Rollback(SignedUpdate.Rollback(Model, 2, SignedUpdate.Device("pi-01"), issued.AddMinutes(1), key: null));

        var refusals = device.Events("model_rejected");
        Assert.Equal(2, refusals.Count);
        Assert.Contains("is not newer than the last command accepted from key", refusals[0], StringComparison.Ordinal);
        Assert.Contains("not signed", refusals[1], StringComparison.Ordinal);
        Assert.Equal(1, device.Registry.Current(Model)!.Package.Version);
    }

    [Fact]
    public async Task A_group_offer_converges_from_retained_messages_and_its_redelivery_is_ignored()
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        var bundle = SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor);
        var manifest = SignedUpdate.Manifest("g-2", SignedUpdate.Group("kitchen"), descriptor, bundle, 4096, device.Key);
        var subscribed = new List<string>();
        device.Manager.SubscribeChunks = subscribed.Add;

        device.Offer(manifest, "kitchen", retained: true);
        Assert.Equal(["edge/group/kitchen/cmd/model/chunk/g-2/+"], subscribed);
        var chunks = SignedUpdate.Chunks(bundle, 4096).ToList();
        foreach (var (index, payload) in chunks.Skip(1))
        {
            device.Chunk("g-2", index, payload, "kitchen");
        }

        // The one the retained set lacked, resent to this device alone as edgectl does after a missing report.
        device.Chunk("g-2", 0, chunks[0].Payload);

        Assert.Equal("committed", device.Update.GetProperty("state").GetString());
        device.Offer(manifest, "kitchen", retained: true);
        Assert.Empty(device.Events("model_rejected"));
    }

    [Fact]
    public async Task A_transfer_cut_by_a_restart_resumes_and_other_staging_leftovers_are_removed()
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        var bundle = SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor);
        device.Offer(SignedUpdate.Manifest("u-resume", SignedUpdate.Device("pi-01"), descriptor, bundle, 4096, device.Key));
        var chunks = SignedUpdate.Chunks(bundle, 4096).ToList();
        foreach (var (index, payload) in chunks.Take(10))
        {
            device.Chunk("u-resume", index, payload);
        }

        device.Manager.Dispose();
        var leftover = Directory.CreateDirectory(Path.Combine(device.StagingPath, "half-unpacked")).FullName;
        device.Restart();
        device.Manager.ResumeStaging();

        Assert.False(Directory.Exists(leftover));
        Assert.Equal($"[[10,{chunks.Count - 1}]]", device.Update.GetProperty("missing").GetRawText());
        foreach (var (index, payload) in chunks.Skip(10))
        {
            device.Chunk("u-resume", index, payload);
        }

        Assert.Equal("committed", device.Update.GetProperty("state").GetString());
    }

    private static int NextVersion(MemorySink sink) => sink.Next(s_wait).GetProperty("model").GetProperty("version").GetInt32();

    private static JsonElement NextResultOf(MemorySink sink, int version)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (true)
        {
            var result = sink.Next(s_wait);
            if (result.GetProperty("model").GetProperty("version").GetInt32() == version)
            {
                return result;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no result of version {version} within {s_wait}");
        }
    }

    /// <summary>The test model that is finite on black (validation) and NaN on any lit frame, with its descriptor.</summary>
    private static string PoisonedModel(string root)
    {
        var directory = Directory.CreateDirectory(Path.Combine(root, "poisoned")).FullName;
        File.Copy(Path.Combine(TestPaths.TestModels, "nan_on_light_classifier.onnx"), Path.Combine(directory, "model.onnx"));
        File.WriteAllText(Path.Combine(directory, "model.json"), new JsonObject
        {
            ["name"] = Model,
            ["version"] = 2,
            ["task"] = "classification",
            ["input"] = new JsonObject { ["name"] = "image", ["width"] = 8, ["height"] = 8, ["scale"] = 1.0 / 255 },
            ["labels"] = new JsonArray("red", "green", "blue"),
            ["postprocess"] = new JsonObject { ["top_k"] = 1 },
        }.ToJsonString());
        return directory;
    }
}
