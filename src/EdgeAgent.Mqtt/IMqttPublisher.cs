namespace EdgeAgent.Mqtt;

/// <summary>What the outbox needs of a client: publish, complete when the broker acknowledged, and the connection.</summary>
public interface IMqttPublisher
{
    /// <summary>Whether the client is connected now.</summary>
    bool IsConnected { get; }

    /// <summary>Completes once connected; faults with <see cref="MqttConnectException"/> when the client has given up.</summary>
    Task WaitUntilConnectedAsync(CancellationToken cancellationToken = default);

    ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain = false, CancellationToken cancellationToken = default);
}
