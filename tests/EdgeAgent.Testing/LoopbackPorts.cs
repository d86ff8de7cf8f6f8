using System.Net;
using System.Net.Sockets;

namespace EdgeAgent.Testing;

/// <summary>Loopback TCP ports nothing listens on, for the services and clients a test starts.</summary>
public static class LoopbackPorts
{
    /// <summary>A port the kernel just handed out and that is free again; good enough for a test's own services.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
