namespace EdgeAgent.Onnx;

/// <summary>Where a session's model comes from: a file, or bytes in memory.</summary>
internal sealed class ModelSource
{
    private ModelSource(string? path, ReadOnlyMemory<byte> bytes)
    {
        Path = path;
        Bytes = bytes;
    }

    public string? Path { get; }

    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>How logs and errors name it.</summary>
    public string Description => Path ?? $"a {Bytes.Length}-byte model in memory";

    public static ModelSource FromPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new ModelSource(path, default);
    }

    public static ModelSource FromBytes(ReadOnlyMemory<byte> bytes) => new(null, bytes);
}
