using System.Formats.Tar;
using System.Text;
using EdgeAgent.Protocol;

namespace EdgeAgent.Tests.Protocol;

/// <summary>The ustar update bundle: a deterministic round trip, and hostile archives refused with clear reasons.</summary>
public sealed class ModelBundleTests
{
    private static readonly BundleFile[] s_files =
    [
        new("model.onnx", [1, 2, 3, 4]),
        new("model.json", Encoding.UTF8.GetBytes("""{"name":"m","task":"raw","input":{"width":1,"height":1}}""")),
        new("labels.txt", Encoding.UTF8.GetBytes("a\nb\n")),
        new("validation/sample.bin", new byte[1000]),
    ];

    [Fact]
    public void A_bundle_round_trips_and_is_written_the_same_way_twice()
    {
        var bytes = ModelBundle.Write(s_files);

        Assert.Equal(bytes, ModelBundle.Write(s_files));
        Assert.Equal(0, bytes.Length % 512);
        var read = ModelBundle.Read(new MemoryStream(bytes), 1 << 20);
        Assert.Equal(s_files.Select(f => f.Name), read.Select(f => f.Name));
        Assert.Equal(s_files.Select(f => f.Content), read.Select(f => f.Content));
    }

    [Fact]
    public void Extraction_recreates_the_files_under_the_directory()
    {
        var directory = Directory.CreateTempSubdirectory("edge-agent-bundle-");
        try
        {
            ModelBundle.Extract(ModelBundle.Read(new MemoryStream(ModelBundle.Write(s_files)), 1 << 20), directory.FullName);

            Assert.Equal(new byte[1000], File.ReadAllBytes(Path.Combine(directory.FullName, "validation", "sample.bin")));
            Assert.Equal("a\nb\n", File.ReadAllText(Path.Combine(directory.FullName, "labels.txt")));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("../evil", "has an empty, '.' or '..' segment")]
    [InlineData("a/../../evil", "has an empty, '.' or '..' segment")]
    [InlineData("/etc/passwd", "is an absolute path")]
    [InlineData("bad\\name", "holds a backslash")]
    [InlineData("new\nline", "holds a control character")]
    public void Hostile_names_are_refused(string name, string reason)
    {
        var archive = Archive(writer => writer.WriteEntry(Entry(name, [1])));

        var error = Assert.Throws<InvalidDataException>(() => ModelBundle.Read(archive, 1 << 20));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TarEntryType.SymbolicLink)]
    [InlineData(TarEntryType.HardLink)]
    [InlineData(TarEntryType.CharacterDevice)]
    [InlineData(TarEntryType.BlockDevice)]
    [InlineData(TarEntryType.Fifo)]
    [InlineData(TarEntryType.Directory)]
    public void Links_devices_and_directories_are_refused(TarEntryType type)
    {
        var archive = Archive(writer =>
        {
            writer.WriteEntry(Entry("model.onnx", [1]));
            var entry = new UstarTarEntry(type, "model.json");
            if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink)
            {
                entry.LinkName = "/etc/shadow";
            }

            writer.WriteEntry(entry);
        });

        var error = Assert.Throws<InvalidDataException>(() => ModelBundle.Read(archive, 1 << 20));

        Assert.Contains($"bundle entry 'model.json' is a {type}; only regular files are allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicates_a_size_past_the_limit_and_missing_model_files_are_refused()
    {
        var duplicate = Archive(writer =>
        {
            writer.WriteEntry(Entry("model.onnx", [1]));
            writer.WriteEntry(Entry("model.onnx", [2]));
        });
        Assert.Contains("appears twice", Assert.Throws<InvalidDataException>(() => ModelBundle.Read(duplicate, 1 << 20)).Message, StringComparison.Ordinal);

        var bytes = ModelBundle.Write(s_files);
        Assert.Contains("past its limit of 100 bytes", Assert.Throws<InvalidDataException>(() => ModelBundle.Read(new MemoryStream(bytes), 100)).Message, StringComparison.Ordinal);

        var noDescriptor = Archive(writer => writer.WriteEntry(Entry("model.onnx", [1])));
        Assert.Contains("the bundle has no model.json", Assert.Throws<InvalidDataException>(() => ModelBundle.Read(noDescriptor, 1 << 20)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_and_garbage_archives_are_refused()
    {
        var bytes = ModelBundle.Write(s_files);

        Assert.Throws<InvalidDataException>(() => ModelBundle.Read(new MemoryStream(bytes[..700]), 1 << 20));
        var garbage = new byte[2048];
        new Random(3).NextBytes(garbage);
        Assert.Throws<InvalidDataException>(() => ModelBundle.Read(new MemoryStream(garbage), 1 << 20));
    }

    private static UstarTarEntry Entry(string name, byte[] content) => new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) };

    private static MemoryStream Archive(Action<TarWriter> write)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Ustar, leaveOpen: true))
        {
            write(writer);
        }

        stream.Position = 0;
        return stream;
    }
}
