using System.CommandLine;
using EdgeCtl.Broker;

namespace EdgeCtl.Commands.Rollback;

/// <summary><c>edgectl rollback (--device ID | --group G) --model N [--to VERSION] --key NAME.key [--wait] [--timeout 300]</c>.</summary>
internal static class RollbackCommandDefinition
{
    public static Command Create()
    {
        var target = new TargetOptions();
        var model = new Option<string>("--model") { Description = "The model to roll back", Required = true };
        var to = new Option<int?>("--to") { Description = "The version to go back to (default: the previous one)" };
        var key = new Option<string>("--key") { Description = "The private key to sign with (NAME.key from edgectl keygen)", Required = true };
        var wait = new Option<bool>("--wait") { Description = "Wait until every targeted device rolled back (exit 0), refused (1), or the timeout passed (3)" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to send, and with --wait to wait, before giving up with exit code 3", DefaultValueFactory = _ => 300 };
        var broker = new BrokerOptions();
        var command = new Command("rollback", "Send a signed rollback command to a device, or retain one for a group (it pins the members until a newer push)")
        {
            model, to, key, wait, timeout,
        };
        target.AddTo(command);
        broker.AddTo(command);
        command.SetAction((parsed, token) =>
        {
            var settings = new RollbackSettings(
                target.Read(parsed),
                Names.Model(parsed.GetValue(model)!),
                parsed.GetValue(to) is { } version ? (version > 0 ? version : throw EdgeCtlException.Usage($"--to {version}: versions are positive integers")) : null,
                parsed.GetValue(key)!,
                parsed.GetValue(wait),
                TimeSpan.FromSeconds(Positive(parsed.GetValue(timeout))));
            return RollbackCommand.RunAsync(settings, broker.Read(parsed), Console.Out, TimeProvider.System, token);
        });
        return command;
    }

    private static int Positive(int seconds) =>
        seconds > 0 ? seconds : throw EdgeCtlException.Usage($"--timeout {seconds}: give a number of seconds above 0");
}
