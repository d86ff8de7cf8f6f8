using System.Globalization;
using System.Text.Json;
using EdgeAgent.Protocol;
using EdgeCtl.Broker;
using EdgeCtl.Output;

namespace EdgeCtl.Commands.Status;

/// <summary>Reads the retained status and models topics and prints one row per device and model.</summary>
internal static class StatusCommand
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(BrokerSettings settings, string? device, bool json, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var session = await BrokerSession.ConnectAsync(settings, cancellationToken).ConfigureAwait(false);
        var devices = await TimeLimit.RunAsync(s_limit, time, $"reading the retained topics from {settings.Address}", token => FleetSnapshot.ReadAsync(session, device, token), cancellationToken).ConfigureAwait(false);
        if (device is not null && devices.Count == 0)
        {
            throw EdgeCtlException.Refused($"no device '{device}' on {settings.Address}: nothing is retained on {session.Topics.Status(device)} (never connected to this broker, or another --prefix)");
        }

        if (json)
        {
            var listing = new StatusListing([.. devices.Select(d => new DeviceListing(d.Id, d.RawStatus, d.RawModels, d.Problem))]);
            output.WriteLine(JsonSerializer.Serialize(listing, EdgeCtlJsonContext.Default.StatusListing));
            return ExitCodes.Success;
        }

        if (devices.Count == 0)
        {
            output.WriteLine($"no devices have a retained status under {settings.Prefix}/ on {settings.Address}");
            return ExitCodes.Success;
        }

        Render(devices, output);
        return ExitCodes.Success;
    }

    private static void Render(IReadOnlyList<DeviceSnapshot> devices, TextWriter output)
    {
        var table = new TextTable("DEVICE", "STATE", "AGENT", "GROUPS", "STREAMS", "MODEL", "ACTIVE", "PREVIOUS", "COMMITTED", "UPDATE", "SEEN");
        foreach (var device in devices)
        {
            var status = device.Status;
            var deviceCells = new[]
            {
                device.Id,
                status?.State ?? "-",
                status?.AgentVersion ?? "-",
                status is { Groups.Count: > 0 } ? string.Join(',', status.Groups) : "-",
                status is { Streams.Count: > 0 } ? string.Join(',', status.Streams) : "-",
            };
            var seen = status?.Ts ?? "-";
            var models = device.Models?.Models.OrderBy(m => m.Key, StringComparer.Ordinal).ToList() ?? [];
            if (models.Count == 0)
            {
                table.Add([.. deviceCells, "-", "-", "-", "-", device.Problem ?? "-", seen]);
                continue;
            }

            foreach (var (name, model) in models)
            {
                table.Add([.. deviceCells, name, Active(model), Version(model.Previous), Version(model.Committed), device.Problem ?? Update(model.Update), seen]);
                deviceCells = [string.Empty, string.Empty, string.Empty, string.Empty, string.Empty];
                seen = string.Empty;
            }
        }

        table.WriteTo(output);
    }

    private static string Version(ModelVersion? version) => version is null ? "-" : "v" + version.Version.ToString(CultureInfo.InvariantCulture);

    private static string Active(ModelStatus model) =>
        model.Pinned is { } pinned ? $"{Version(model.Active)} (pinned v{pinned.ToString(CultureInfo.InvariantCulture)})" : Version(model.Active);

    private static string Update(UpdateProgress? update)
    {
        if (update is null)
        {
            return "-";
        }

        var version = "v" + update.Version.ToString(CultureInfo.InvariantCulture) + " ";
        return update.State switch
        {
            UpdateStates.Receiving => $"{version}receiving {Percent(update.Progress)}",
            UpdateStates.Rejected or UpdateStates.RolledBack => $"{version}{update.State}: {update.Error ?? "no reason given"}",
            _ => version + update.State,
        };
    }

    public static string Percent(double fraction) => (Math.Clamp(fraction, 0, 1) * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}

/// <summary><c>edgectl status --json</c>: each device's retained payloads as the device published them.</summary>
internal sealed record StatusListing(IReadOnlyList<DeviceListing> Devices);

internal sealed record DeviceListing(string Device, JsonElement? Status, JsonElement? Models, string? Problem);
