using System.CommandLine;
using EdgeCtl.Broker;

namespace EdgeCtl.Commands.Rollback;

/// <summary><c>edgectl rollback (--device ID | --group G) --model N [--to VERSION] --key NAME.key</c>.</summary>
internal static class RollbackCommandDefinition
{
    public static Command Create()
    {
        var target = new TargetOptions();
        var model = new Option<string>("--model") { Description = "The model to roll back", Required = true };
        var to = new Option<int?>("--to") { Description = "The version to go back to (default: the previous one)" };
        var key = new Option<string>("--key") { Description = "The private key to sign with (NAME.key from edgectl keygen)", Required = true };
        var broker = new BrokerOptions();
        var command = new Command("rollback", "Send a signed rollback command to a device, or retain one for a group (it pins the members until a newer push)")
        {
            model, to, key,
        };
        target.AddTo(command);
        broker.AddTo(command);
        command.SetAction((parsed, token) => RollbackCommand.RunAsync(
            target.Read(parsed),
            Names.Model(parsed.GetValue(model)!),
            parsed.GetValue(to) is { } version ? (version > 0 ? version : throw EdgeCtlException.Usage($"--to {version}: versions are positive integers")) : null,
            parsed.GetValue(key)!,
            broker.Read(parsed),
            Console.Out,
            TimeProvider.System,
            token));
        return command;
    }
}
