using System.CommandLine;
using EdgeCtl.Broker;

namespace EdgeCtl.Commands.Status;

/// <summary><c>edgectl status [--device ID] [--json]</c>.</summary>
internal static class StatusCommandDefinition
{
    public static Command Create()
    {
        var device = new Option<string?>("--device") { Description = "Only this device" };
        var json = new Option<bool>("--json") { Description = "Print the retained payloads as JSON for scripts instead of a table" };
        var broker = new BrokerOptions();
        var command = new Command("status", "A table of the devices, from their retained status and models topics")
        {
            device,
            json,
        };
        broker.AddTo(command);
        command.SetAction((parsed, token) => StatusCommand.RunAsync(
            broker.Read(parsed),
            parsed.GetValue(device) is { } id ? Names.TopicLevel("--device", id) : null,
            parsed.GetValue(json),
            Console.Out,
            TimeProvider.System,
            token));
        return command;
    }
}
