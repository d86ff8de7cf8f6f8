using System.CommandLine;

namespace EdgeCtl.Commands.Keygen;

/// <summary><c>edgectl keygen --out NAME</c>.</summary>
internal static class KeygenCommandDefinition
{
    public static Command Create()
    {
        var output = new Option<string>("--out")
        {
            Description = "Where to write the pair, without extension: NAME.key (private, PKCS#8 PEM, mode 0600) and NAME.pub (public, for /etc/edge-agent/trusted-keys/)",
            Required = true,
        };
        var command = new Command("keygen", "Create an ECDSA P-256 signing key pair and print its key id")
        {
            output,
        };
        command.SetAction(parsed => KeygenCommand.Run(parsed.GetValue(output)!, Console.Out));
        return command;
    }
}
