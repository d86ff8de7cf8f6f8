using System.CommandLine;
using EdgeAgent.Protocol;

namespace EdgeCtl.Commands;

/// <summary><c>--device ID | --group G</c>: exactly one, as the manifest's and the rollback's <c>target</c>.</summary>
internal sealed class TargetOptions
{
    private readonly Option<string?> _device = new("--device") { Description = "The device to send to" };

    private readonly Option<string?> _group = new("--group") { Description = "The group to send to (retained: members that are offline converge when they connect)" };

    public void AddTo(Command command)
    {
        command.Options.Add(_device);
        command.Options.Add(_group);
    }

    /// <exception cref="EdgeCtlException">Neither or both given, or a value that is not one topic level (exit code 2).</exception>
    public UpdateTarget Read(ParseResult parsed)
    {
        var device = parsed.GetValue(_device);
        var group = parsed.GetValue(_group);
        return (device, group) switch
        {
            (null, null) or (not null, not null) => throw EdgeCtlException.Usage("give exactly one of --device ID or --group G"),
            (not null, _) => new UpdateTarget { Device = Names.TopicLevel("--device", device) },
            _ => new UpdateTarget { Group = Names.TopicLevel("--group", group!) },
        };
    }
}
