using EdgeAgent.Protocol;

namespace EdgeCtl.Commands.Push;

/// <summary>Where one targeted device is with the update, as its models topic and events report it.</summary>
internal sealed class DeviceProgress(string device)
{
    public string Device { get; } = device;

    /// <summary>One of <see cref="UpdateStates"/>, or "waiting" before the device reported anything.</summary>
    public string State { get; set; } = "waiting";

    public double Progress { get; set; }

    /// <summary>The device's reason for a rejection or a rollback.</summary>
    public string? Error { get; set; }

    public bool IsFinal => UpdateStates.IsFinal(State);

    public bool Committed => State == UpdateStates.Committed;

    /// <summary>The missing ranges last resent, and when, so one report is not answered twice.</summary>
    public string? LastResent { get; set; }

    public DateTimeOffset LastResentAt { get; set; }

    /// <summary>What was last printed, so a line is printed only when something changed.</summary>
    public string? LastPrinted { get; set; }

    public string Describe() => State switch
    {
        UpdateStates.Rejected or UpdateStates.RolledBack => $"{State}: {Error ?? "no reason given"}",
        UpdateStates.Receiving => $"receiving {Commands.Status.StatusCommand.Percent(Progress)}",
        _ => State,
    };
}
