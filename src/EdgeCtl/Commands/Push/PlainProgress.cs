using EdgeAgent.Protocol;
using EdgeCtl.Commands.Status;

namespace EdgeCtl.Commands.Push;

/// <summary>For a pipe or a file: a line per change, a state or each tenth of the transfer (<c>pi-01  receiving  [####      ] 40%</c>).</summary>
internal sealed class PlainProgress(TextWriter output) : IProgressView
{
    public void Show(DeviceProgress device)
    {
        var line = device.State == UpdateStates.Receiving
            ? $"{device.Device}  receiving  [{new string('#', (int)(Math.Clamp(device.Progress, 0, 1) * 10)),-10}] {StatusCommand.Percent(Math.Floor(device.Progress * 10) / 10)}"
            : $"{device.Device}  {device.Describe()}";
        if (line != device.LastPrinted)
        {
            device.LastPrinted = line;
            output.WriteLine(line);
        }
    }

    public void Note(string line) => output.WriteLine(line);
}
