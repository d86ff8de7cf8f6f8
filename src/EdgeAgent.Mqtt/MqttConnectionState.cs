namespace EdgeAgent.Mqtt;

public enum MqttConnectionState
{
    /// <summary>Not started, or between a lost connection and the next attempt.</summary>
    Disconnected,

    /// <summary>A CONNECT is on its way and no CONNACK has come back yet.</summary>
    Connecting,

    Connected,

    /// <summary>The client gave up (attempt or authentication limit reached); <see cref="MqttClient.LastError"/> says why.</summary>
    Failed,

    /// <summary>Disposed.</summary>
    Stopped,
}
