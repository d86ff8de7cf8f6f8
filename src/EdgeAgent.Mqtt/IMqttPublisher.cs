namespace EdgeAgent.Mqtt;

/// <summary>What the outbox needs of a client: publish, and complete when the broker acknowledged.</summary>
public interface IMqttPublisher
{
    ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain = false, CancellationToken cancellationToken = default);
}
