using System.Globalization;
using System.Text.Json;

namespace EdgeAgent.Daemon;

/// <summary>The retained <c>status</c> payload (CONTRACT.md section 6); the Last Will carries the same with "offline".</summary>
internal sealed record StatusDocument(string AgentVersion, DateTimeOffset StartedAt, IReadOnlyList<string> Groups, IReadOnlyList<string> Providers, IReadOnlyList<string> Streams)
{
    public byte[] Render(string state, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("state", state);
            json.WriteString("agent_version", AgentVersion);
            json.WriteString("started_at", Timestamp(StartedAt));
            WriteArray(json, "groups", Groups);
            WriteArray(json, "providers", Providers);
            WriteArray(json, "streams", Streams);
            json.WriteString("ts", Timestamp(now));
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteArray(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
