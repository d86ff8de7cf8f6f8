using System.Buffers;

namespace EdgeAgent.Mqtt.Outbox;

/// <summary>Writes a record's payload once its <paramref name="seq"/> is known, so the payload can carry it.</summary>
public delegate void OutboxPayloadWriter<in TState>(IBufferWriter<byte> payload, long seq, TState state);
