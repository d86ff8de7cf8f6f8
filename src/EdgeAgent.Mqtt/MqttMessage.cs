namespace EdgeAgent.Mqtt;

/// <summary>A message the broker delivered, copied out of libmosquitto's buffers.</summary>
public sealed class MqttMessage(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain)
{
    public string Topic { get; } = topic;

    public ReadOnlyMemory<byte> Payload { get; } = payload;

    public MqttQos Qos { get; } = qos;

    /// <summary>True when the broker sent it from its retained store.</summary>
    public bool Retain { get; } = retain;
}
