namespace EdgeCtl;

/// <summary>A device's retained <c>status</c> payload (CONTRACT.md section 6), as edgectl reads it.</summary>
internal sealed record DeviceStatus
{
    /// <summary><c>online</c>, <c>degraded</c> or <c>offline</c> (the Last Will).</summary>
    public string State { get; init; } = "unknown";

    public string? AgentVersion { get; init; }

    public string? StartedAt { get; init; }

    public IReadOnlyList<string> Groups { get; init; } = [];

    public IReadOnlyList<string> Providers { get; init; } = [];

    public IReadOnlyList<string> Streams { get; init; } = [];

    public string? Ts { get; init; }

    /// <summary>Online or degraded: connected and able to take an update.</summary>
    public bool IsUp => State is "online" or "degraded";
}
