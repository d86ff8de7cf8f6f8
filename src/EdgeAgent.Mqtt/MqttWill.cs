namespace EdgeAgent.Mqtt;

/// <summary>The Last Will the broker publishes when it loses the client without a clean DISCONNECT.</summary>
public sealed class MqttWill
{
    public required string Topic { get; init; }

    public ReadOnlyMemory<byte> Payload { get; init; }

    public MqttQos Qos { get; init; } = MqttQos.AtLeastOnce;

    public bool Retain { get; init; }
}
