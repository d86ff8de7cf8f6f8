namespace EdgeAgent.Sensors.Sysfs;

/// <summary>How one channel's value is read: the file, its format, and value = (raw + Offset) x Scale.</summary>
public sealed record SysfsChannel(string Name, string Path, double Scale = 1, double Offset = 0, SysfsFormat Format = SysfsFormat.Number);
