namespace EdgeAgent.Protocol;

/// <summary>The MQTT topic names of CONTRACT.md section 6 under a prefix (default <c>edge</c>).</summary>
public sealed class Topics(string prefix)
{
    public string Prefix { get; } = prefix;

    public string Status(string device) => $"{Prefix}/{device}/status";

    public string Results(string device, string stream) => $"{Prefix}/{device}/results/{stream}";

    public string Telemetry(string device) => $"{Prefix}/{device}/telemetry";

    public string Models(string device) => $"{Prefix}/{device}/models";

    public string Events(string device) => $"{Prefix}/{device}/events";

    public string Offer(string device) => $"{Prefix}/{device}/cmd/model/offer";

    public string Chunk(string device, string updateId, int index) => $"{Prefix}/{device}/cmd/model/chunk/{updateId}/{index}";

    public string Done(string device, string updateId) => $"{Prefix}/{device}/cmd/model/done/{updateId}";

    public string Rollback(string device) => $"{Prefix}/{device}/cmd/model/rollback";

    public string GroupOffer(string group) => $"{Prefix}/group/{group}/cmd/model/offer";

    public string GroupChunk(string group, string updateId, int index) => $"{Prefix}/group/{group}/cmd/model/chunk/{updateId}/{index}";

    public string GroupRollback(string group) => $"{Prefix}/group/{group}/cmd/model/rollback";
}
