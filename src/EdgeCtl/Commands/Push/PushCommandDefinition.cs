using System.CommandLine;
using EdgeCtl.Broker;
using EdgeCtl.Output;

namespace EdgeCtl.Commands.Push;

/// <summary><c>edgectl push MODEL.onnx (--device ID | --group G) --model N --version V [--descriptor model.json] --key NAME.key [--wait] [--timeout 300] [--chunk-size 64KiB]</c>.</summary>
internal static class PushCommandDefinition
{
    public static Command Create()
    {
        var modelFile = new Argument<string>("MODEL.onnx") { Description = "The ONNX model to send" };
        var target = new TargetOptions();
        var model = new Option<string>("--model") { Description = "The model's name on the devices (a stream's Model)", Required = true };
        var version = new Option<int>("--version") { Description = "The new version, a positive integer newer than the devices' committed one", Required = true };
        var descriptor = new Option<string?>("--descriptor") { Description = "The model.json to bundle (default: model.json beside the model); the files it names are bundled too" };
        var key = new Option<string>("--key") { Description = "The private key to sign with (NAME.key from edgectl keygen)", Required = true };
        var wait = new Option<bool>("--wait") { Description = "Wait until every targeted device committed (exit 0), rejected or rolled back (1), or the timeout passed (3)" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to send, and with --wait to wait, before giving up with exit code 3", DefaultValueFactory = _ => 300 };
        var chunkSize = new Option<string>("--chunk-size") { Description = "Bytes per chunk message (KiB and MiB allowed)", DefaultValueFactory = _ => "64KiB" };
        var broker = new BrokerOptions();
        var command = new Command("push", "Bundle, sign and send a model to a device or a group")
        {
            modelFile, model, version, descriptor, key, wait, timeout, chunkSize,
        };
        target.AddTo(command);
        broker.AddTo(command);
        command.SetAction((parsed, token) =>
        {
            var settings = new PushSettings(
                parsed.GetValue(modelFile)!,
                target.Read(parsed),
                Names.Model(parsed.GetValue(model)!),
                Positive("--version", parsed.GetValue(version), "versions are positive integers"),
                parsed.GetValue(descriptor),
                parsed.GetValue(key)!,
                parsed.GetValue(wait),
                TimeSpan.FromSeconds(Positive("--timeout", parsed.GetValue(timeout), "give a number of seconds above 0")),
                ChunkSize.Parse(parsed.GetValue(chunkSize)!));
            return PushCommand.RunAsync(settings, broker.Read(parsed), Console.Out, Terminal.IsOutput, TimeProvider.System, token);
        });
        return command;
    }

    private static int Positive(string option, int value, string rule) =>
        value > 0 ? value : throw EdgeCtlException.Usage($"{option} {value}: {rule}");
}
