using System.Net.Sockets;

namespace EdgeAgent.Testing;

/// <summary>A Unix datagram socket bound where the code under test will send: a path under a fresh temp directory, or an abstract name.</summary>
public sealed class DatagramListener : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly DirectoryInfo? _directory;
    private readonly byte[] _buffer = new byte[256 * 1024];

    private DatagramListener(string address, string bindPath, DirectoryInfo? directory)
    {
        Address = address;
        _directory = directory;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified)
        {
            ReceiveTimeout = (int)s_wait.TotalMilliseconds,
            ReceiveBufferSize = 4 * 1024 * 1024,
        };
        _socket.Bind(new UnixDomainSocketEndPoint(bindPath));
    }

    /// <summary>The address as the code under test is given it: a path, or '@' and the abstract name.</summary>
    public string Address { get; }

    /// <summary>A socket bound at <paramref name="name"/> in a new temp directory.</summary>
    public static DatagramListener InTempDirectory(string name)
    {
        var directory = Directory.CreateTempSubdirectory("edge-agent-systemd-");
        var path = Path.Combine(directory.FullName, name);
        return new DatagramListener(path, path, directory);
    }

    /// <summary>A socket bound at <paramref name="path"/>, a path the test chose before anything was there.</summary>
    public static DatagramListener At(string path) => new(path, path, null);

    /// <summary>A socket bound to a fresh name in the abstract namespace.</summary>
    public static DatagramListener Abstract()
    {
        var name = $"edge-agent-test-{Guid.NewGuid():N}";
        return new DatagramListener("@" + name, "\0" + name, null);
    }

    /// <summary>The next datagram, waiting at most 10 s for it.</summary>
    public byte[] Receive()
    {
        var length = _socket.Receive(_buffer);
        return _buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>The next datagram, or null when none comes within <paramref name="wait"/>.</summary>
    public byte[]? TryReceive(TimeSpan wait) =>
        _socket.Poll((int)Math.Min(int.MaxValue, wait.TotalMicroseconds), SelectMode.SelectRead) ? Receive() : null;

    /// <summary>Whether a datagram is waiting now; sends to a Unix socket are queued before the sender returns, so nothing is in flight.</summary>
    public bool HasPending => _socket.Poll(0, SelectMode.SelectRead);

    public void Dispose()
    {
        _socket.Dispose();
        _directory?.Delete(recursive: true);
    }
}
