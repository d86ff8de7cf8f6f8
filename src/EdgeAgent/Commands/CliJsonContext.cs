using System.Text.Json.Serialization;

namespace EdgeAgent.Commands;

/// <summary>Source-generated JSON for the verbs' <c>--json</c> output: snake_case, indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ProvidersReport))]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
