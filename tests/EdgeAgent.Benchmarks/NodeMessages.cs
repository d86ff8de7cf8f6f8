using System.Text.Json.Serialization;

namespace EdgeAgent.Benchmarks;

/// <summary>One request line to <c>node/ort-node-peer.js</c>; the fields each op reads are listed there.</summary>
internal sealed record NodeRequest(
    string Op,
    string? Model = null,
    int? Threads = null,
    IReadOnlyList<NodeInput>? Inputs = null,
    int? Runs = null,
    double? MinMs = null);

/// <summary>An input's name, element type, dimensions and raw little-endian bytes (base64).</summary>
internal sealed record NodeInput(string Name, string Type, IReadOnlyList<long> Dims, string Data);

/// <summary>One reply line from the peer.</summary>
internal sealed record NodeReply(
    bool Ok,
    string? Error,
    string? Version,
    IReadOnlyList<string>? Outputs,
    double[]? Samples);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NodeRequest))]
[JsonSerializable(typeof(NodeReply))]
internal sealed partial class NodeJsonContext : JsonSerializerContext;
