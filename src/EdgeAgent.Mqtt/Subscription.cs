namespace EdgeAgent.Mqtt;

/// <summary>A filter, its QoS and handler, and whether this connection's session already holds it.</summary>
internal sealed class Subscription(string filter, MqttQos qos, Func<MqttMessage, CancellationToken, ValueTask> handler)
{
    public string Filter { get; } = filter;

    public MqttQos Qos { get; } = qos;

    public Func<MqttMessage, CancellationToken, ValueTask> Handler { get; } = handler;

    /// <summary>Sent to the broker in the current session; reset when the broker reports no session.</summary>
    public bool Sent { get; set; }
}
