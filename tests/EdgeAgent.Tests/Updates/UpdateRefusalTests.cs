using System.Formats.Tar;
using System.Text.Json.Nodes;
using EdgeAgent.Protocol;

namespace EdgeAgent.Tests.Updates;

/// <summary>
/// Every way an update is refused (CONTRACT.md section 7, steps 1 to 4): each publishes model_rejected with its
/// reason, leaves version 1 serving and committed, and leaves nothing in staging or the store.
/// </summary>
[Collection(OrtEnvironmentGroup.Name)]
public sealed class UpdateRefusalTests(OrtEnvironmentFixture ort)
{
    private const string Model = "demo-classifier";

    [Fact]
    public async Task A_signature_by_an_untrusted_key_is_refused()
    {
        await using var device = new UpdateHarness(ort.Environment);
        using var stranger = SigningKeys.Generate();
        var descriptor = device.Descriptor(2);
        var bundle = SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor);
        device.Offer(SignedUpdate.Manifest("u-untrusted", SignedUpdate.Device("pi-01"), descriptor, bundle, 4096, stranger));

        AssertRefused(device, "u-untrusted", $"key {ManifestSigning.KeyId(stranger)} is not trusted");
    }

    [Fact]
    public async Task A_manifest_changed_after_signing_is_refused()
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        var bundle = SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor);
        var manifest = SignedUpdate.Manifest("u-tampered", SignedUpdate.Device("pi-01"), descriptor, bundle, 4096, device.Key);
        manifest["size"] = bundle.Length + 1;
        device.Offer(manifest);

        AssertRefused(device, "u-tampered", "the signature does not verify");
    }

    [Fact]
    public async Task A_removed_key_file_revokes_the_key_at_once()
    {
        await using var device = new UpdateHarness(ort.Environment);
        File.Delete(Path.Combine(device.Root, "keys", "ops.pub"));
        device.Push("u-revoked", device.Descriptor(2), SignedUpdate.Bundle(SignedUpdate.DemoClassifier, device.Descriptor(2)));

        AssertRefused(device, "u-revoked", "is not trusted");
    }

    [Fact]
    public async Task An_unsigned_offer_is_refused_while_signatures_are_required()
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        var bundle = SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor);
        device.Offer(SignedUpdate.Manifest("u-unsigned", SignedUpdate.Device("pi-01"), descriptor, bundle, 4096, key: null));

        AssertRefused(device, "u-unsigned", "not signed and Models:RequireSignature is on");
    }

    [Theory]
    [InlineData("device", "pi-02", "target device 'pi-02' is not this device ('pi-01')")]
    [InlineData("group", "garage", "target group 'garage' is not one of this device's groups (kitchen)")]
    public async Task An_offer_for_another_device_or_group_is_refused(string kind, string name, string reason)
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        var bundle = SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor);
        device.Offer(SignedUpdate.Manifest("u-elsewhere", new JsonObject { [kind] = name }, descriptor, bundle, 4096, device.Key));

        AssertRefused(device, "u-elsewhere", reason);
    }

    [Fact]
    public async Task A_version_not_newer_than_the_committed_one_is_refused()
    {
        await using var device = new UpdateHarness(ort.Environment);
        device.Push("u-old", device.Descriptor(1), SignedUpdate.Bundle(SignedUpdate.DemoClassifier, device.Descriptor(1)));

        AssertRefused(device, "u-old", "version 1 is not newer than the committed version 1");
    }

    [Fact]
    public async Task A_replayed_update_id_is_refused_even_after_its_first_offer_was_committed()
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        var bundle = SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor);
        var manifest = device.Push("u-once", descriptor, bundle);
        Assert.Equal("committed", device.Update.GetProperty("state").GetString());

        device.Offer(manifest);

        Assert.Contains("update_id u-once was already offered (a replay)", device.Events("model_rejected").Single(), StringComparison.Ordinal);
        Assert.Equal(2, device.State.Models[Model].Committed);
    }

    [Theory]
    [InlineData(300_000_000L, 65536, 4578, "size 300000000 is outside 1..268435456 bytes (Models:MaxBytes)")]
    [InlineData(1000L, 100, 2_000_000_000, "chunk_count 2000000000 does not match size 1000 in chunks of 100 (10)")]
    [InlineData(-5L, 100, 1, "size -5 is outside")]
    [InlineData(1000L, 0, 1, "chunk_size 0 is outside")]
    public async Task Sizes_and_chunk_counts_out_of_bounds_are_refused_before_anything_is_stored(long size, int chunkSize, int chunkCount, string reason)
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        var manifest = SignedUpdate.Manifest("u-bounds", SignedUpdate.Device("pi-01"), descriptor, [1, 2, 3], 100, key: null);
        manifest["size"] = size;
        manifest["chunk_size"] = chunkSize;
        manifest["chunk_count"] = chunkCount;
        ManifestSigning.Sign(manifest, device.Key);
        device.Offer(manifest);

        AssertRefused(device, "u-bounds", reason);
    }

    [Theory]
    [InlineData(99, 4096, "chunk index 99 is outside")]
    [InlineData(0, 17, "chunk 0 holds 17 bytes; it must hold 4096")]
    public async Task A_chunk_out_of_range_or_of_the_wrong_size_refuses_the_update(int index, int length, string reason)
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        var bundle = SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor);
        device.Offer(SignedUpdate.Manifest("u-chunk", SignedUpdate.Device("pi-01"), descriptor, bundle, 4096, device.Key));
        device.Chunk("u-chunk", index, new byte[length]);

        AssertRefused(device, "u-chunk", reason);
    }

    [Fact]
    public async Task A_bundle_whose_bytes_differ_from_the_manifest_fails_the_sha256_check()
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        var bundle = SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor);
        var manifest = SignedUpdate.Manifest("u-sha", SignedUpdate.Device("pi-01"), descriptor, bundle, 4096, device.Key);
        device.Offer(manifest);
        bundle[^600] ^= 0xff;
        foreach (var (index, payload) in SignedUpdate.Chunks(bundle, 4096))
        {
            device.Chunk("u-sha", index, payload);
        }

        AssertRefused(device, "u-sha", "sha256 mismatch");
    }

    [Theory]
    [InlineData("../evil.txt", TarEntryType.RegularFile, "has an empty, '.' or '..' segment")]
    [InlineData("/etc/evil", TarEntryType.RegularFile, "is an absolute path")]
    [InlineData("link", TarEntryType.SymbolicLink, "is a SymbolicLink; only regular files are allowed")]
    [InlineData("dev", TarEntryType.CharacterDevice, "is a CharacterDevice; only regular files are allowed")]
    [InlineData("bad\u0001name", TarEntryType.RegularFile, "holds a control character")]
    public async Task Hostile_bundle_entries_are_refused(string name, TarEntryType type, string reason)
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        var bundle = HostileBundle(SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor), name, type);
        device.Push("u-hostile", descriptor, bundle);

        AssertRefused(device, "u-hostile", reason);
        Assert.False(File.Exists(Path.Combine(device.Root, "state", "models", "evil.txt")));
    }

    [Fact]
    public async Task A_model_file_that_is_not_onnx_is_refused_when_it_does_not_load()
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        var bundle = SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor, new Dictionary<string, byte[]> { ["model.onnx"] = "this is not a model"u8.ToArray() });
        device.Push("u-garbage", descriptor, bundle);

        AssertRefused(device, "u-garbage", "model.onnx does not load");
    }

    [Fact]
    public async Task A_model_whose_input_disagrees_with_its_descriptor_is_refused()
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        descriptor["input"]!["width"] = 96;
        descriptor["validation"] = null;
        device.Push("u-shape", descriptor, SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor));

        AssertRefused(device, "u-shape", "model.json says float32 NCHW 3x64x96");
    }

    [Fact]
    public async Task A_validation_sample_with_the_wrong_answer_is_refused()
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        descriptor["validation"]!["samples"]![0]!["expect_top1"] = 5;
        device.Push("u-wrong", descriptor, SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor));

        AssertRefused(device, "u-wrong", "validation sample 'testsrc-pattern.bin': top-1 is class 0, expected 5");
    }

    [Fact]
    public async Task Outputs_outside_the_tolerance_of_an_expected_output_file_are_refused()
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        descriptor["validation"] = new JsonObject
        {
            ["samples"] = new JsonArray(new JsonObject
            {
                ["input_file"] = "solid-color.bin",
                ["expect_max_abs_diff"] = new JsonObject { ["output_file"] = "expected.bin", ["tolerance"] = 0.001 },
            }),
        };
        var bundle = SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor, new Dictionary<string, byte[]>());
        bundle = AddEntry(bundle, "expected.bin", new byte[10 * sizeof(float)]);
        device.Push("u-tolerance", descriptor, bundle);

        AssertRefused(device, "u-tolerance", "outputs differ from 'expected.bin' by up to");
    }

    [Fact]
    public async Task A_model_slower_than_max_latency_ms_is_refused()
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        descriptor["validation"]!["max_latency_ms"] = 0.0001;
        device.Push("u-slow", descriptor, SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor));

        AssertRefused(device, "u-slow", "too slow: warm latency");
    }

    [Fact]
    public async Task A_truncated_transfer_lists_its_missing_ranges_after_done_and_after_five_quiet_seconds()
    {
        await using var device = new UpdateHarness(ort.Environment);
        var descriptor = device.Descriptor(2);
        var bundle = SignedUpdate.Bundle(SignedUpdate.DemoClassifier, descriptor);
        device.Offer(SignedUpdate.Manifest("u-gaps", SignedUpdate.Device("pi-01"), descriptor, bundle, 1024, device.Key));
        var chunks = SignedUpdate.Chunks(bundle, 1024).ToList();
        foreach (var (index, payload) in chunks.Where(c => c.Index is not (1 or 2 or 5) && c.Index != chunks.Count - 1))
        {
            device.Chunk("u-gaps", index, payload);
        }

        Assert.False(device.Update.TryGetProperty("missing", out _));
        device.Time.Advance(TimeSpan.FromSeconds(6));
        device.Manager.Tick(CancellationToken.None);
        var last = chunks.Count - 1;
        Assert.Equal($"[[1,2],[5,5],[{last},{last}]]", device.Update.GetProperty("missing").GetRawText());

        device.Chunk("u-gaps", 2, chunks[2].Payload);
        device.Done("u-gaps");
        Assert.Equal($"[[1,1],[5,5],[{last},{last}]]", device.Update.GetProperty("missing").GetRawText());
        Assert.Equal("receiving", device.Update.GetProperty("state").GetString());

        foreach (var index in new[] { 1, 5, last })
        {
            device.Chunk("u-gaps", index, chunks[index].Payload);
        }

        Assert.Equal("committed", device.Update.GetProperty("state").GetString());
    }

    /// <summary>Refused with the reason, version 1 still serving and committed, staging empty, no version 2 stored.</summary>
    private static void AssertRefused(UpdateHarness device, string updateId, string reason)
    {
        var rejected = Assert.Single(device.Events("model_rejected"));
        Assert.Contains(reason, rejected, StringComparison.Ordinal);
        Assert.Equal(1, device.Registry.Current(Model)!.Package.Version);
        var state = device.StateFile.Load().For(Model);
        Assert.Equal((1, 1), (state.Active, state.Committed));
        Assert.Empty(Directory.Exists(device.StagingPath) ? Directory.GetFileSystemEntries(device.StagingPath) : []);
        Assert.False(Directory.Exists(Path.Combine(device.Store.StorePath, Model, "2")));
        if (device.Models.TryGetProperty(Model, out var model) && model.TryGetProperty("update", out var update))
        {
            Assert.Equal(updateId, update.GetProperty("update_id").GetString());
            Assert.Equal("rejected", update.GetProperty("state").GetString());
            Assert.Contains(reason, update.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
    }

    private static byte[] HostileBundle(byte[] bundle, string name, TarEntryType type)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
        {
            using (var reader = new TarReader(new MemoryStream(bundle)))
            {
                while (reader.GetNextEntry() is { } entry)
                {
                    writer.WriteEntry(entry);
                }
            }

            var hostile = new UstarTarEntry(type, name);
            if (type == TarEntryType.RegularFile)
            {
                hostile.DataStream = new MemoryStream("owned"u8.ToArray());
            }
            else if (type == TarEntryType.SymbolicLink)
            {
                hostile.LinkName = "/etc/passwd";
            }

            writer.WriteEntry(hostile);
        }

        return output.ToArray();
    }

    private static byte[] AddEntry(byte[] bundle, string name, byte[] content)
    {
        var files = new List<BundleFile>();
        using (var reader = new TarReader(new MemoryStream(bundle)))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                var data = new byte[entry.Length];
                entry.DataStream?.ReadExactly(data);
                files.Add(new BundleFile(entry.Name, data));
            }
        }

        files.Add(new BundleFile(name, content));
        return ModelBundle.Write(files);
    }
}
