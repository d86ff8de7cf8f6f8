namespace EdgeAgent.Mqtt;

internal enum NativeEventKind
{
    /// <summary>PUBACK for QoS 1, written to the socket for QoS 0; Code is the reason code.</summary>
    Published,

    /// <summary>SUBACK; Code is the granted QoS, or a reason code of 128 or more.</summary>
    Subscribed,
}

/// <summary>What a libmosquitto callback hands to the dispatch thread: a small struct, so the channel allocates nothing per event.</summary>
internal readonly record struct NativeEvent(NativeEventKind Kind, int Mid, int Code);
