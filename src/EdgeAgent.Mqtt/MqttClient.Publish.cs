using EdgeAgent.Mqtt.Interop;

namespace EdgeAgent.Mqtt;

public sealed partial class MqttClient
{
    /// <summary>
    /// Publishes <paramref name="payload"/> (copied by libmosquitto before this returns). The task completes when the
    /// broker acknowledges it (QoS 1) or it was written to the socket (QoS 0), and faults with
    /// <see cref="MqttReasonException"/> when the broker refuses it. A QoS 1 message published while disconnected is
    /// kept by libmosquitto and sent after the reconnect, so its task simply completes later: never publish it again.
    /// <paramref name="cancellationToken"/> only cancels waiting for one of <see cref="MqttClientOptions.MaxPendingPublishes"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The topic is empty or has a wildcard, or the payload exceeds MQTT's limit.</exception>
    /// <exception cref="MosquittoException">libmosquitto refused the message, for example larger than the broker's maximum packet size.</exception>
    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain = false, CancellationToken cancellationToken = default)
    {
        if (!TopicFilter.IsValidTopicName(topic))
        {
            ThrowBadTopic(topic);
        }

        if (payload.Length > MqttClientOptions.MaxPayloadBytes)
        {
            throw new ArgumentException($"the payload for '{topic}' is {payload.Length} bytes; MQTT carries at most {MqttClientOptions.MaxPayloadBytes}", nameof(payload));
        }

        if (qos is not (MqttQos.AtMostOnce or MqttQos.AtLeastOnce))
        {
            throw new ArgumentOutOfRangeException(nameof(qos), qos, "QoS 0 or 1");
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var slot = _publishSlots.WaitAsync(cancellationToken);
        return slot.IsCompletedSuccessfully
            ? Send(topic, payload.Span, qos, retain)
            : SendWhenSlotFreeAsync(slot, topic, payload, qos, retain);
    }

    private static void ThrowBadTopic(string topic) =>
        throw new ArgumentException($"cannot publish to '{topic}': a topic name must be non-empty and have no wildcard (+ or #)", nameof(topic));

    private async ValueTask SendWhenSlotFreeAsync(Task slot, string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain)
    {
        await slot.ConfigureAwait(false);
        await Send(topic, payload.Span, qos, retain).ConfigureAwait(false);
    }

    private unsafe ValueTask Send(string topic, ReadOnlySpan<byte> payload, MqttQos qos, bool retain)
    {
        var operation = _operations.Rent();
        int rc;
        int mid;

        // Held across the call so the acknowledgement's dispatch finds the message id registered.
        lock (_gate)
        {
            fixed (byte* bytes = payload)
            {
                rc = Mosquitto.mosquitto_publish_v5(_handle, &mid, topic, payload.Length, bytes, (int)qos, retain, 0);
            }

            // libmosquitto keeps a QoS 1 message it could not send yet and sends it after the reconnect.
            if (rc == 0 || (rc == (int)MosquittoError.NoConnection && qos == MqttQos.AtLeastOnce))
            {
                _pendingPublishes.Add(mid, operation);
                rc = rc == 0 ? 0 : -rc;
            }
        }

        if (rc > 0)
        {
            _operations.Return(operation);
            _publishSlots.Release();
            MosquittoException.Throw(rc, $"mosquitto_publish_v5 (topic '{topic}', {payload.Length} bytes, QoS {(int)qos})");
        }

        if (rc < 0)
        {
            Log.QueuedWhileDisconnected(_logger, topic, mid);
        }

        return operation.AsValueTask();
    }
}
