using System.Text.Json.Serialization;

namespace EdgeAgent.Benchmarks.Updates;

/// <summary>The updates section's figures as written to <c>artifacts/bench/updates.json</c>.</summary>
internal sealed record UpdatesResults(DateTimeOffset Started, string Cpu, int Cores, IReadOnlyList<PushResult> Pushes, SwapResult Swaps);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(UpdatesResults))]
internal sealed partial class UpdatesJsonContext : JsonSerializerContext;
