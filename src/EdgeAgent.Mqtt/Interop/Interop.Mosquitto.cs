using System.Runtime.InteropServices;
using EdgeAgent.Mqtt.Handles;

namespace EdgeAgent.Mqtt.Interop;

#pragma warning disable SA1300, IDE1006 // the native names, as mosquitto.h spells them

/// <summary>The libmosquitto 2.0 functions the client calls, grouped like mosquitto.h.</summary>
internal static unsafe partial class Mosquitto
{
    public const int OptProtocolVersion = 1;
    public const int OptTcpNoDelay = 11;
    public const int ProtocolV5 = 5;
    public const int PropertySessionExpiryInterval = 17;
    public const int PropertyMaximumPacketSize = 39;

    // Library version, initialisation and cleanup.
    [LibraryImport(Library)]
    public static partial int mosquitto_lib_version(int* major, int* minor, int* revision);

    [LibraryImport(Library)]
    public static partial int mosquitto_lib_init();

    [LibraryImport(Library)]
    public static partial int mosquitto_lib_cleanup();

    // Client creation and destruction.
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial nint mosquitto_new(string? id, [MarshalAs(UnmanagedType.U1)] bool cleanSession, nint obj);

    [LibraryImport(Library)]
    public static partial void mosquitto_destroy(nint mosq);

    // Will, authentication, options, TLS.
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_will_set(MosquittoClientHandle mosq, string topic, int payloadlen, byte* payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_username_pw_set(MosquittoClientHandle mosq, string? username, string? password);

    [LibraryImport(Library)]
    public static partial int mosquitto_int_option(MosquittoClientHandle mosq, int option, int value);

    [LibraryImport(Library)]
    public static partial int mosquitto_threaded_set(MosquittoClientHandle mosq, [MarshalAs(UnmanagedType.U1)] bool threaded);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_tls_set(MosquittoClientHandle mosq, string? cafile, string? capath, string? certfile, string? keyfile, delegate* unmanaged[Cdecl]<byte*, int, int, nint, int> pwCallback);

    // Connecting, the network loop, disconnecting.
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int mosquitto_connect_bind_v5(MosquittoClientHandle mosq, string host, int port, int keepalive, string? bindAddress, MosquittoPropertyListHandle properties);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int mosquitto_loop(MosquittoClientHandle mosq, int timeout, int maxPackets);

    [LibraryImport(Library)]
    public static partial int mosquitto_disconnect_v5(MosquittoClientHandle mosq, int reasonCode, nint properties);

    // Publishing and subscribing.
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_publish_v5(MosquittoClientHandle mosq, int* mid, string topic, int payloadlen, byte* payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain, nint properties);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_subscribe_v5(MosquittoClientHandle mosq, int* mid, string sub, int qos, int options, nint properties);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_unsubscribe_v5(MosquittoClientHandle mosq, int* mid, string sub, nint properties);

    // Callbacks: set once, before the network loop starts (a setter takes the lock a running callback holds).
    [LibraryImport(Library)]
    public static partial void mosquitto_connect_v5_callback_set(MosquittoClientHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, int, int, nint, void> callback);

    [LibraryImport(Library)]
    public static partial void mosquitto_disconnect_v5_callback_set(MosquittoClientHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, int, nint, void> callback);

    [LibraryImport(Library)]
    public static partial void mosquitto_publish_v5_callback_set(MosquittoClientHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, int, int, nint, void> callback);

    [LibraryImport(Library)]
    public static partial void mosquitto_message_v5_callback_set(MosquittoClientHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, MosquittoMessage*, nint, void> callback);

    [LibraryImport(Library)]
    public static partial void mosquitto_subscribe_v5_callback_set(MosquittoClientHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, int, int, int*, nint, void> callback);

    [LibraryImport(Library)]
    public static partial void mosquitto_log_callback_set(MosquittoClientHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, int, byte*, void> callback);

    // Properties.
    [LibraryImport(Library)]
    public static partial int mosquitto_property_add_int32(ref nint proplist, int identifier, uint value);

    [LibraryImport(Library)]
    public static partial nint mosquitto_property_read_int32(nint proplist, int identifier, uint* value, [MarshalAs(UnmanagedType.U1)] bool skipFirst);

    [LibraryImport(Library)]
    public static partial void mosquitto_property_free_all(ref nint proplist);

    // Text for error and reason codes: static strings owned by the library.
    [LibraryImport(Library)]
    public static partial nint mosquitto_strerror(int mosqErrno);

    [LibraryImport(Library)]
    public static partial nint mosquitto_reason_string(int reasonCode);
}
