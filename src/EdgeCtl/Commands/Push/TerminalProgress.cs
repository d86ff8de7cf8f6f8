using EdgeAgent.Protocol;
using EdgeCtl.Commands.Status;

namespace EdgeCtl.Commands.Push;

/// <summary>
/// For a terminal: one line per device, a bar redrawn in place as the device reports
/// (<c>pi-01  [############            ]  50%  receiving</c>); notes are printed above the bars.
/// </summary>
internal sealed class TerminalProgress : IProgressView
{
    private const int BarWidth = 24;
    private const string ClearLine = "\u001b[2K";

    private readonly TextWriter _output;
    private readonly List<string> _devices;
    private readonly Dictionary<string, string> _lines;
    private readonly int _nameWidth;
    private bool _drawn;

    public TerminalProgress(TextWriter output, IReadOnlyList<string> devices)
    {
        _output = output;
        _devices = [.. devices.Order(StringComparer.Ordinal)];
        _nameWidth = _devices.Select(d => d.Length).DefaultIfEmpty(0).Max();
        _lines = _devices.ToDictionary(d => d, d => Line(new DeviceProgress(d)), StringComparer.Ordinal);
    }

    public void Show(DeviceProgress device)
    {
        var line = Line(device);
        if (_lines[device.Device] == line && _drawn)
        {
            return;
        }

        _lines[device.Device] = line;
        Redraw(note: null);
    }

    public void Note(string line) => Redraw(line);

    /// <summary>Moves back over the bars drawn last, prints <paramref name="note"/> there if any, and draws the bars below it.</summary>
    private void Redraw(string? note)
    {
        if (_drawn && _devices.Count > 0)
        {
            _output.Write($"\u001b[{_devices.Count}F");
        }

        if (note is not null)
        {
            _output.Write(ClearLine);
            _output.WriteLine(note);
        }

        foreach (var device in _devices)
        {
            _output.Write(ClearLine);
            _output.WriteLine(_lines[device]);
        }

        _output.Flush();
        _drawn = true;
    }

    private string Line(DeviceProgress device)
    {
        var progress = device.IsFinal && device.Committed ? 1 : Math.Clamp(device.Progress, 0, 1);
        var filled = (int)(progress * BarWidth);
        var state = device.State == UpdateStates.Receiving ? device.State : device.Describe();
        return $"{device.Device.PadRight(_nameWidth)}  [{new string('#', filled)}{new string(' ', BarWidth - filled)}] {StatusCommand.Percent(progress),4}  {state}";
    }
}
