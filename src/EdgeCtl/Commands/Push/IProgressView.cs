namespace EdgeCtl.Commands.Push;

/// <summary>How <c>push --wait</c> shows where each device is with the update.</summary>
internal interface IProgressView
{
    /// <summary>A device's state or progress changed.</summary>
    void Show(DeviceProgress device);

    /// <summary>A line of its own, such as a resend.</summary>
    void Note(string line);
}
