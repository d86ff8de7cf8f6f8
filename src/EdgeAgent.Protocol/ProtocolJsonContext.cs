using System.Text.Json.Serialization;

namespace EdgeAgent.Protocol;

/// <summary>Source-generated JSON for everything the daemon and edgectl exchange: snake_case names.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ModelDescriptor))]
[JsonSerializable(typeof(UpdateManifest))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
