using EdgeAgent.Mqtt.Interop;

namespace EdgeAgent.Mqtt;

/// <summary>
/// libmosquitto's process-wide state: initialised once, on first use, under a lock (the header calls
/// <c>mosquitto_lib_init</c> the one call that is not thread safe), and cleaned up once when the process exits.
/// </summary>
public static unsafe class MosquittoLibrary
{
    private static readonly Lock s_gate = new();
    private static bool s_initialized;
    private static int s_liveClients;

    /// <summary>The library's version as "major.minor.revision", such as "2.0.11".</summary>
    public static string Version
    {
        get
        {
            int major, minor, revision;
            _ = Mosquitto.mosquitto_lib_version(&major, &minor, &revision);
            return $"{major}.{minor}.{revision}";
        }
    }

    /// <summary>Initialises the library if needed and counts a client that is about to use it.</summary>
    internal static void AddClient()
    {
        lock (s_gate)
        {
            if (!s_initialized)
            {
                MosquittoException.ThrowIfFailed(Mosquitto.mosquitto_lib_init(), "mosquitto_lib_init");
                s_initialized = true;
                AppDomain.CurrentDomain.ProcessExit += static (_, _) => Cleanup();
            }

            s_liveClients++;
        }
    }

    internal static void RemoveClient()
    {
        lock (s_gate)
        {
            s_liveClients--;
        }
    }

    private static void Cleanup()
    {
        // A client nobody disposed may still be inside OpenSSL on its loop thread: leave the library alone then.
        lock (s_gate)
        {
            if (s_liveClients == 0)
            {
                _ = Mosquitto.mosquitto_lib_cleanup();
            }
        }
    }
}
