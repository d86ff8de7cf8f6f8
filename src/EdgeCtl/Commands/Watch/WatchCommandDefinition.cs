using System.CommandLine;
using EdgeCtl.Broker;

namespace EdgeCtl.Commands.Watch;

/// <summary><c>edgectl watch --device ID [--stream S] [--count N] [--timeout S]</c>.</summary>
internal static class WatchCommandDefinition
{
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "The device whose results to follow", Required = true };
        var stream = new Option<string?>("--stream") { Description = "Only this stream (default: all)" };
        var count = new Option<int?>("--count") { Description = "Stop after this many results" };
        var timeout = new Option<int?>("--timeout") { Description = "Stop after this many seconds; with --count, exit 3 if fewer results came" };
        var broker = new BrokerOptions();
        var command = new Command("watch", "Follow a device's results, one readable line each, until Ctrl+C")
        {
            device, stream, count, timeout,
        };
        broker.AddTo(command);
        command.SetAction((parsed, token) => WatchCommand.RunAsync(
            new WatchSettings(
                Names.TopicLevel("--device", parsed.GetValue(device)!),
                parsed.GetValue(stream) is { } s ? Names.TopicLevel("--stream", s) : null,
                parsed.GetValue(count) is { } n ? (n > 0 ? n : throw EdgeCtlException.Usage($"--count {n}: give 1 or more")) : null,
                parsed.GetValue(timeout) is { } t ? (t > 0 ? TimeSpan.FromSeconds(t) : throw EdgeCtlException.Usage($"--timeout {t}: give a number of seconds above 0")) : null),
            broker.Read(parsed),
            Console.Out,
            TimeProvider.System,
            token));
        return command;
    }
}

internal sealed record WatchSettings(string Device, string? Stream, int? Count, TimeSpan? Timeout);
