using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeAgent.Mqtt.Interop;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Mqtt;

/// <summary>
/// libmosquitto's callbacks. They run on the client's network thread inside the library's callback lock: each finds
/// its client through the GCHandle in <c>obj</c>, copies what it needs, posts it to a bounded channel without waiting,
/// and lets nothing escape.
/// </summary>
public sealed unsafe partial class MqttClient
{
    private const int LogWarning = 4;
    private const int LogError = 8;

    private void SetCallbacks()
    {
        Mosquitto.mosquitto_connect_v5_callback_set(_handle, &OnConnect);
        Mosquitto.mosquitto_disconnect_v5_callback_set(_handle, &OnDisconnect);
        Mosquitto.mosquitto_publish_v5_callback_set(_handle, &OnPublish);
        Mosquitto.mosquitto_message_v5_callback_set(_handle, &OnMessage);
        Mosquitto.mosquitto_subscribe_v5_callback_set(_handle, &OnSubscribe);
        SetLogCallback(connected: false);
    }

    /// <summary>
    /// With a log callback set, libmosquitto formats a debug line into a fresh allocation for every packet sent and
    /// received. It is kept while connecting, for the library's text of a failed attempt (TLS, DNS); once connected,
    /// only when our logger writes debug lines.
    /// </summary>
    private void SetLogCallback(bool connected)
    {
        if (!connected || _logger.IsEnabled(LogLevel.Debug))
        {
            Mosquitto.mosquitto_log_callback_set(_handle, &OnLog);
        }
        else
        {
            Mosquitto.mosquitto_log_callback_set(_handle, null);
        }
    }

    private static MqttClient? Owner(nint obj) =>
        obj == 0 ? null : GCHandle.FromIntPtr(obj).Target as MqttClient;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnConnect(nint mosq, nint obj, int reasonCode, int flags, nint properties)
    {
        try
        {
            if (Owner(obj) is { } client)
            {
                client._sessionPresent = (flags & 1) != 0;
                client._connackReason = reasonCode;
            }
        }
        catch (Exception)
        {
            // Nothing may unwind into libmosquitto.
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnDisconnect(nint mosq, nint obj, int rc, nint properties)
    {
        // The network thread learns of the loss from mosquitto_loop's return code, which carries the same reason.
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnPublish(nint mosq, nint obj, int mid, int reasonCode, nint properties)
    {
        try
        {
            Owner(obj)?.PostEvent(new NativeEvent(NativeEventKind.Published, mid, reasonCode));
        }
        catch (Exception)
        {
            // Nothing may unwind into libmosquitto.
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnSubscribe(nint mosq, nint obj, int mid, int qosCount, int* grantedQos, nint properties)
    {
        try
        {
            var granted = qosCount > 0 && grantedQos is not null ? grantedQos[0] : 128;
            Owner(obj)?.PostEvent(new NativeEvent(NativeEventKind.Subscribed, mid, granted));
        }
        catch (Exception)
        {
            // Nothing may unwind into libmosquitto.
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnMessage(nint mosq, nint obj, MosquittoMessage* message, nint properties)
    {
        try
        {
            if (Owner(obj) is not { } client || message is null)
            {
                return;
            }

            // libmosquitto frees the message when this returns: copy it.
            var topic = Marshal.PtrToStringUTF8(message->Topic) ?? string.Empty;
            var payload = new ReadOnlySpan<byte>((void*)message->Payload, message->PayloadLength).ToArray();
            var received = new MqttMessage(topic, payload, (MqttQos)Math.Min(message->Qos, 1), message->Retain != 0);
            if (!client._messages.Writer.TryWrite(received))
            {
                var dropped = Interlocked.Increment(ref client._droppedMessages);
                Log.MessageDropped(client._logger, topic, client._options.IncomingMessageCapacity, dropped);
            }
        }
        catch (Exception)
        {
            // Nothing may unwind into libmosquitto.
        }
    }

    /// <summary>OpenSSL's pass phrase callback: without one it would prompt on the terminal; an empty answer fails an encrypted key instead.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int NoKeyPassword(byte* buffer, int size, int writing, nint userData) => 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(nint mosq, nint obj, int level, byte* text)
    {
        try
        {
            if (Owner(obj) is not { } client || (level & (LogWarning | LogError)) == 0)
            {
                return;
            }

            var line = Marshal.PtrToStringUTF8((nint)text) ?? string.Empty;
            if ((level & LogError) != 0)
            {
                client._lastNativeError = line;
            }

            Log.Native(client._logger, (level & LogError) != 0 ? LogLevel.Warning : LogLevel.Debug, line);
        }
        catch (Exception)
        {
            // Nothing may unwind into libmosquitto.
        }
    }
}
