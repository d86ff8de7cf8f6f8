namespace EdgeAgent.Mqtt;

/// <summary>The delivery guarantees the client publishes and subscribes with.</summary>
public enum MqttQos
{
    AtMostOnce = 0,
    AtLeastOnce = 1,
}
