using System.Net;
using System.Net.Sockets;

namespace EdgeAgent.Systemd;

/// <summary>
/// Sends encoded entries to journald's datagram socket, one entry per datagram. The socket stays unconnected so that
/// a restarted journald, which binds the path anew, is reached without reconnecting. Failures are counted, never thrown.
/// </summary>
internal sealed class JournalSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly SocketAddress _address;
    private long _dropped;

    public JournalSocket(string path, TimeSpan sendTimeout)
    {
        _address = new UnixDomainSocketEndPoint(path).Serialize();
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified)
        {
            SendTimeout = (int)Math.Clamp(sendTimeout.TotalMilliseconds, 1, int.MaxValue),
        };
    }

    /// <summary>Entries that could not be sent: no journal socket, journald busy past the timeout, or closed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Send(ReadOnlySpan<byte> entry)
    {
        try
        {
            _socket.SendTo(entry, SocketFlags.None, _address);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public void Dispose() => _socket.Dispose();
}
