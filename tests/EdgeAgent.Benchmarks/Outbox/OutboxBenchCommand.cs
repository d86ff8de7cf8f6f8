using System.CommandLine;

namespace EdgeAgent.Benchmarks.Outbox;

/// <summary><c>EdgeAgent.Benchmarks outbox</c>: the outbox section, run by <c>./build.sh bench</c> after the ONNX one.</summary>
internal static class OutboxBenchCommand
{
    public static Command Create(string root)
    {
        var messages = new Option<int>("--messages") { Description = "Messages per block, each side", DefaultValueFactory = _ => 20_000 };
        var pairs = new Option<int>("--pairs") { Description = "Interleaved repeats, one block of each side per repeat", DefaultValueFactory = _ => 9 };
        var payloadBytes = new Option<int>("--payload-bytes") { Description = "Bytes per message", DefaultValueFactory = _ => 300 };
        var state = new Option<string>("--state")
        {
            Description = "The folder under which the outbox is made for the run (its file system decides what fsync costs)",
            DefaultValueFactory = _ => Path.GetTempPath(),
        };
        var json = new Option<string>("--json")
        {
            Description = "Where to write the results as JSON",
            DefaultValueFactory = _ => Path.Combine(root, "artifacts", "bench", "outbox.json"),
        };
        var command = new Command("outbox", "Results per second through the outbox to a local mosquitto at QoS 1, beside mosquitto_pub -q 1 -l")
        {
            messages, pairs, payloadBytes, state, json,
        };
        command.SetAction(parsed => OutboxBenchmark.Run(new OutboxBenchSettings(
            parsed.GetValue(messages),
            parsed.GetValue(pairs),
            parsed.GetValue(payloadBytes),
            parsed.GetValue(state)!,
            parsed.GetValue(json)!)));
        return command;
    }
}
