using EdgeAgent.Protocol;
using EdgeCtl.Broker;

namespace EdgeCtl.Commands;

/// <summary>The devices a verb with <c>--wait</c> follows: the one named, or a group's members online now (from their retained status).</summary>
internal static class TargetDevices
{
    /// <param name="what">What is sent ("update", "rollback"), for the lines printed.</param>
    public static async Task<IReadOnlyList<string>> ResolveAsync(BrokerSession session, UpdateTarget target, bool wait, string what, TextWriter output, CancellationToken cancellationToken)
    {
        var fleet = await FleetSnapshot.ReadAsync(session, target.Device, cancellationToken).ConfigureAwait(false);
        if (target.Group is not { } group)
        {
            var device = target.Device!;
            if (wait && fleet.FirstOrDefault(d => d.Id == device)?.Status is not { IsUp: true })
            {
                output.WriteLine($"{device} is not online now (no online status retained on {session.Topics.Status(device)}); waiting for it to connect and take the {what}");
            }

            return [device];
        }

        var members = fleet.Where(d => d.Status is { } s && s.Groups.Contains(group, StringComparer.Ordinal)).ToList();
        var online = members.Where(d => d.Status!.IsUp).Select(d => d.Id).ToList();
        var offline = members.Where(d => !d.Status!.IsUp).Select(d => d.Id).ToList();
        output.WriteLine(online.Count == 0
            ? $"group {group}: no member is online now"
            : $"group {group}: {online.Count} member{(online.Count == 1 ? string.Empty : "s")} online now{(wait ? ", waiting on" : string.Empty)}: {string.Join(", ", online)}");
        if (offline.Count > 0)
        {
            output.WriteLine($"group {group}: offline, they take the retained {what} when they connect: {string.Join(", ", offline)}");
        }

        return online;
    }
}
