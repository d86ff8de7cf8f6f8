using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Unicode;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Systemd;

/// <summary>
/// Sends sd_notify states (READY, STATUS, WATCHDOG, STOPPING) to the service manager, one datagram per message.
/// Without a socket path (not under systemd, or Type= is not notify) every call is a silent no-op, so callers never
/// branch; send failures are counted and logged once per failing run, never thrown.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    /// <summary>The environment variable systemd sets to the notify socket's path.</summary>
    public const string SocketVariable = "NOTIFY_SOCKET";

    // systemd reads STATUS= as one short line for `systemctl status`; longer text only hides the rest of the unit.
    private const int MaxStatusBytes = 512;

    private static readonly SearchValues<byte> s_lineBreaks = SearchValues.Create("\r\n"u8);

    private readonly Socket? _socket;
    private readonly SocketAddress? _address;
    private readonly string _socketPath;
    private readonly ILogger _logger;
    private long _sendFailures;
    private int _failing;
    private int _disposed;

    /// <summary>A notifier for <paramref name="socketPath"/>: a filesystem path, or '@' and a name in the abstract namespace; null or empty disables it.</summary>
    public SystemdNotifier(string? socketPath, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _socketPath = socketPath ?? "";
        if (string.IsNullOrEmpty(socketPath))
        {
            return;
        }

        // The endpoint spells an abstract name with a leading NUL where sd_notify's convention uses '@'.
        var endPoint = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
        _address = endPoint.Serialize();
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>A notifier for the socket named by $NOTIFY_SOCKET, disabled when it is unset.</summary>
    public static SystemdNotifier FromEnvironment(ILogger? logger = null) =>
        new(Environment.GetEnvironmentVariable(SocketVariable), logger);

    /// <summary>Whether there is a service manager to tell anything.</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>Datagrams the service manager could not be sent.</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>Start-up is finished: models loaded, sources started.</summary>
    public void NotifyReady() => Send("READY=1"u8);

    /// <summary>Keeps the service manager's watchdog from firing.</summary>
    public void NotifyWatchdog() => Send("WATCHDOG=1"u8);

    /// <summary>The agent has begun to shut down.</summary>
    public void NotifyStopping() => Send("STOPPING=1"u8);

    /// <summary>A one-line summary for `systemctl status`; line breaks become spaces and long text is cut at a character boundary.</summary>
    public void NotifyStatus(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (_socket is null)
        {
            return;
        }

        Span<byte> message = stackalloc byte[7 + MaxStatusBytes];
        "STATUS="u8.CopyTo(message);
        var value = message[7..];
        Utf8.FromUtf16(status, value, out _, out var written, replaceInvalidSequences: true, isFinalBlock: true);
        value = value[..written];
        // CR and LF are single bytes in UTF-8 and never part of a longer sequence, so replacing them here is safe.
        value.ReplaceAny(s_lineBreaks, (byte)' ');
        Send(message[..(7 + written)]);
    }

    private void Send(ReadOnlySpan<byte> message)
    {
        if (_socket is null || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            _socket.SendTo(message, SocketFlags.None, _address!);
            if (Interlocked.Exchange(ref _failing, 0) != 0)
            {
                Log.NotifyRecovered(_logger, _socketPath, SendFailures);
            }
        }
        catch (SocketException e)
        {
            Interlocked.Increment(ref _sendFailures);
            if (Interlocked.Exchange(ref _failing, 1) == 0)
            {
                Log.NotifyFailed(_logger, StateName(message), _socketPath, e.Message);
            }
        }
        catch (ObjectDisposedException)
        {
            // A watchdog tick racing the agent's shutdown: nothing is left to notify.
        }
    }

    private static string StateName(ReadOnlySpan<byte> message) =>
        Encoding.UTF8.GetString(message[..message.IndexOf((byte)'=')]);

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _socket?.Dispose();
        }
    }
}
