using Microsoft.Win32.SafeHandles;

namespace EdgeAgent.Mqtt.Outbox;

/// <summary>One segment file: its open handle, how far it is written, and how many records it holds.</summary>
internal sealed class OutboxSegment(long id, string path, SafeFileHandle handle) : IDisposable
{
    public long Id { get; } = id;

    public string Path { get; } = path;

    public SafeFileHandle Handle { get; } = handle;

    public long Length { get; set; }

    public static OutboxSegment Open(string directory, long id)
    {
        var path = OutboxFiles.SegmentPath(directory, id);
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        return new OutboxSegment(id, path, handle) { Length = RandomAccess.GetLength(handle) };
    }

    public void Delete()
    {
        Handle.Dispose();
        File.Delete(Path);
    }

    public void Dispose() => Handle.Dispose();
}
