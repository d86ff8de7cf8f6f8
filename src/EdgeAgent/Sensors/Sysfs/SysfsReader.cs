namespace EdgeAgent.Sensors.Sysfs;

/// <summary>
/// Reads channels from sysfs files. The files are located at every open (a device may come back under another
/// number after a hot-unplug), each by the kind's own rules (<see cref="SysfsLocator"/>).
/// </summary>
public sealed class SysfsReader(string description, int channels, Func<IReadOnlyList<SysfsChannel>> locate, TimeProvider time) : ISensorReader
{
    private SysfsChannel[] _channels = [];
    private SysfsFile[] _files = [];

    public int Channels => channels;

    public string Description => description;

    /// <summary>The channels as located by the last open.</summary>
    public IReadOnlyList<SysfsChannel> Located => _channels;

    public void Open()
    {
        Close();
        _channels = [.. locate()];
        _files = [.. _channels.Select(c => new SysfsFile(c.Path, time))];
        foreach (var file in _files)
        {
            file.Open();
        }
    }

    public void Read(long index, Span<float> values)
    {
        for (var i = 0; i < _files.Length; i++)
        {
            var channel = _channels[i];
            var raw = channel.Format == SysfsFormat.W1Slave ? W1Slave.ParseMillidegrees(_files[i].ReadBytes(), channel.Path) : _files[i].ReadNumber();
            values[i] = (float)((raw + channel.Offset) * channel.Scale);
        }
    }

    public void Close()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }

        _files = [];
    }

    public void Dispose() => Close();
}
