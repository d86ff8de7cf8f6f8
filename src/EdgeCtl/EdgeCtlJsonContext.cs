using System.Text.Json.Serialization;
using EdgeCtl.Commands.Status;

namespace EdgeCtl;

/// <summary>Source-generated JSON for what edgectl reads from devices and prints with <c>--json</c>: snake_case.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(DeviceStatus))]
[JsonSerializable(typeof(StatusListing))]
internal sealed partial class EdgeCtlJsonContext : JsonSerializerContext;
