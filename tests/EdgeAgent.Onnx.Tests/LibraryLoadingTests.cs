namespace EdgeAgent.Onnx.Tests;

/// <summary>Finding and opening the library: the API floor, the default path, and errors naming every path tried.</summary>
[Collection(OrtGroup.Name)]
public sealed class LibraryLoadingTests(OrtFixture ort)
{
    [Fact]
    public void The_default_library_is_the_pinned_one_at_the_api_floor()
    {
        Assert.Equal("1.30.0", ort.Library.Version);
        Assert.Equal(30u, ort.Library.LibraryApiVersion);
        Assert.Equal(12u, OrtLibrary.ApiVersion);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, OrtLibrary.FileName), ort.Library.Path);
    }

    [Fact]
    public void Every_slot_called_is_within_the_requested_api_version()
    {
        Assert.All(Enum.GetValues<Interop.OrtSlot>(), slot => Assert.InRange((int)slot, 0, Interop.OrtApiTable.MinimumApiSlotCount - 1));
        Assert.Equal(216, Enum.GetValues<Interop.OrtSlot>().Max(s => (int)s));
    }

    [Fact]
    public void A_missing_configured_path_is_named()
    {
        var error = Assert.Throws<OrtLibraryLoadException>(() => OrtLibrary.Load("/nonexistent/lib/libonnxruntime.so.1"));

        Assert.Equal(["/nonexistent/lib/libonnxruntime.so.1: no such file"], error.Attempts);
        Assert.Contains("/nonexistent/lib/libonnxruntime.so.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_without_the_library_names_both_file_names_tried()
    {
        var directory = Directory.CreateTempSubdirectory("edge-agent-no-ort-");
        try
        {
            var error = Assert.Throws<OrtLibraryLoadException>(() => OrtLibrary.Load(directory.FullName));

            Assert.Equal(2, error.Attempts.Count);
            Assert.Contains(Path.Combine(directory.FullName, "libonnxruntime.so.1"), error.Message, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(directory.FullName, "libonnxruntime.so"), error.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public void A_file_that_is_not_a_shared_library_is_refused_with_the_loader_message()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "not an ELF file");

            var error = Assert.Throws<OrtLibraryLoadException>(() => OrtLibrary.Load(file));

            Assert.StartsWith(file + ": ", Assert.Single(error.Attempts), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_shared_library_that_is_not_onnx_runtime_is_refused()
    {
        var libz = new[] { "/lib/x86_64-linux-gnu/libz.so.1", "/lib/aarch64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1" }.First(File.Exists);

        var error = Assert.Throws<OrtLibraryLoadException>(() => OrtLibrary.Load(libz));

        Assert.Contains("not an ONNX Runtime library", error.Message, StringComparison.Ordinal);
    }
}
