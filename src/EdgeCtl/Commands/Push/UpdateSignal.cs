using EdgeAgent.Protocol;

namespace EdgeCtl.Commands.Push;

/// <summary>What a device said about the update: a models report's update entry, or an event with its reason.</summary>
internal sealed record UpdateSignal(string Device, UpdateProgress? Report, string? FinalState, string? Reason);
