using System.Buffers;
using System.Text.Json;

namespace EdgeAgent.Tests.Outbox;

/// <summary>A result's payload as the subscriber needs it: the stream's name and its seq, in the contract's JSON shape.</summary>
internal static class ResultPayload
{
    public static byte[] Create(string stream, long seq)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("device", PublishingOutbox.Device);
            writer.WriteString("stream", stream);
            writer.WriteNumber("seq", seq);
            writer.WriteString("task", "classification");
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static long Seq(ReadOnlyMemory<byte> payload)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.GetProperty("seq").GetInt64();
    }
}
