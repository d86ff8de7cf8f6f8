using System.Globalization;

namespace EdgeAgent.Sensors.Sysfs;

/// <summary>
/// Finds each kind's channel files under a sysfs root, in the layouts of the kernel's ABI documents
/// (Documentation/ABI/testing/sysfs-bus-iio, hwmon/sysfs-interface, sysfs-class-thermal, w1_therm). Every failure
/// names what was asked for and what was found.
/// </summary>
public static class SysfsLocator
{
    /// <summary>
    /// IIO: the device under <c>bus/iio/devices/iio:deviceN</c> whose <c>name</c> is <paramref name="device"/>; each
    /// channel's <c>in_&lt;chan&gt;_raw</c>, with <c>_scale</c> and <c>_offset</c> from the channel's own file or the
    /// type's shared one (<c>in_accel_scale</c>); value = (raw + offset) x scale, in the ABI's units. A channel with
    /// only a processed <c>in_&lt;chan&gt;_input</c> is read as it is.
    /// </summary>
    public static IReadOnlyList<SysfsChannel> Iio(string root, string device, IReadOnlyList<string> channels)
    {
        var directory = FindByName(Path.Combine(root, "bus", "iio", "devices"), "iio:device", "name", device, "IIO device");
        return [.. channels.Select(channel =>
        {
            var raw = Path.Combine(directory, $"in_{channel}_raw");
            if (!File.Exists(raw))
            {
                var input = Path.Combine(directory, $"in_{channel}_input");
                return File.Exists(input)
                    ? new SysfsChannel(channel, input)
                    : throw new SensorUnavailableException($"IIO device '{device}' ({directory}) has no channel '{channel}' (no in_{channel}_raw); it has: {string.Join(", ", IioChannels(directory))}");
            }

            var type = new string([.. channel.TakeWhile(char.IsAsciiLetterLower)]);
            var scale = ReadShared(directory, channel, type, "scale") ?? 1;
            var offset = ReadShared(directory, channel, type, "offset") ?? 0;
            return new SysfsChannel(channel, raw, scale, offset);
        })];
    }

    /// <summary>
    /// hwmon: the chip under <c>class/hwmon/hwmonN</c> whose <c>name</c> is <paramref name="chip"/>; each channel is a
    /// label (the content of a <c>*_label</c> file) or an attribute prefix (<c>temp1</c>), read from its
    /// <c>_input</c> and converted from milli-units to °C, V, A (micro-units to W and J; RPM as it is).
    /// </summary>
    public static IReadOnlyList<SysfsChannel> Hwmon(string root, string chip, IReadOnlyList<string> channels)
    {
        var directory = FindByName(Path.Combine(root, "class", "hwmon"), "hwmon", "name", chip, "hwmon chip");
        var labels = Directory.GetFiles(directory, "*_label")
            .Select(f => (Label: ReadText(f), Prefix: Path.GetFileName(f)[..^"_label".Length]))
            .ToArray();
        return [.. channels.Select(channel =>
        {
            var prefix = labels.FirstOrDefault(l => l.Label == channel).Prefix ?? channel;
            var input = Path.Combine(directory, $"{prefix}_input");
            if (!File.Exists(input))
            {
                throw new SensorUnavailableException($"hwmon chip '{chip}' ({directory}) has no channel labelled or named '{channel}'; its labels: {string.Join(", ", labels.Select(l => $"{l.Prefix}={l.Label}"))}");
            }

            var type = new string([.. prefix.TakeWhile(char.IsAsciiLetterLower)]);
            var scale = type switch
            {
                "power" or "energy" => 1e-6,
                "fan" or "pwm" => 1,
                _ => 1e-3,
            };
            return new SysfsChannel(channel, input, scale);
        })];
    }

    /// <summary>Thermal zones: <c>class/thermal/thermal_zoneN/temp</c> (millidegrees) of the zone whose <c>type</c> is each channel.</summary>
    public static IReadOnlyList<SysfsChannel> Thermal(string root, IReadOnlyList<string> zones) =>
        [.. zones.Select(zone => new SysfsChannel(zone, Path.Combine(FindByName(Path.Combine(root, "class", "thermal"), "thermal_zone", "type", zone, "thermal zone"), "temp"), 1e-3))];

    /// <summary>
    /// 1-Wire: <c>bus/w1/devices/&lt;id&gt;/temperature</c> (millidegrees, newer kernels), else its <c>w1_slave</c>
    /// (CRC line and <c>t=</c>); each channel is a slave id such as <c>28-0316a2794aff</c>.
    /// </summary>
    public static IReadOnlyList<SysfsChannel> W1(string root, IReadOnlyList<string> devices) =>
        [.. devices.Select(id =>
        {
            var directory = Path.Combine(root, "bus", "w1", "devices", id);
            var temperature = Path.Combine(directory, "temperature");
            var slave = Path.Combine(directory, "w1_slave");
            return File.Exists(temperature) ? new SysfsChannel(id, temperature, 1e-3)
                : File.Exists(slave) ? new SysfsChannel(id, slave, 1e-3, Format: SysfsFormat.W1Slave)
                : throw new SensorUnavailableException($"1-Wire device '{id}' has neither {temperature} nor {slave}");
        })];

    private static string FindByName(string parent, string prefix, string nameFile, string wanted, string what)
    {
        var found = new List<string>();
        if (Directory.Exists(parent))
        {
            foreach (var directory in Directory.GetFileSystemEntries(parent, prefix + "*").Order(StringComparer.Ordinal))
            {
                var file = Path.Combine(directory, nameFile);
                if (File.Exists(file))
                {
                    var name = ReadText(file);
                    if (name == wanted)
                    {
                        return directory;
                    }

                    found.Add(name);
                }
            }
        }

        throw new SensorUnavailableException($"no {what} with {nameFile} '{wanted}' under {parent} (found: {(found.Count > 0 ? string.Join(", ", found) : "none")})");
    }

    private static double? ReadShared(string directory, string channel, string type, string attribute)
    {
        foreach (var file in new[] { $"in_{channel}_{attribute}", $"in_{type}_{attribute}" })
        {
            var path = Path.Combine(directory, file);
            if (File.Exists(path))
            {
                var text = ReadText(path);
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new SensorUnavailableException($"{path} holds '{text}', not a number");
            }
        }

        return null;
    }

    private static IEnumerable<string> IioChannels(string directory) =>
        Directory.GetFiles(directory, "in_*_raw").Select(f => Path.GetFileName(f)[3..^4]).Order(StringComparer.Ordinal);

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException ex)
        {
            throw new SensorUnavailableException($"{path} cannot be read: {ex.Message}", ex);
        }
    }
}
