namespace EdgeAgent.Benchmarks.Outbox;

/// <summary>What <c>EdgeAgent.Benchmarks outbox</c> was asked for.</summary>
/// <param name="Messages">Messages per block, the same for both sides.</param>
/// <param name="Pairs">Interleaved repeats; each runs one block of each side, the order alternating.</param>
/// <param name="StateDirectory">Where the outbox lives (its file system decides what fsync costs).</param>
internal sealed record OutboxBenchSettings(int Messages, int Pairs, int PayloadBytes, string StateDirectory, string JsonPath);
