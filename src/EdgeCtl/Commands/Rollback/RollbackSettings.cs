using EdgeAgent.Protocol;

namespace EdgeCtl.Commands.Rollback;

/// <summary>What <c>edgectl rollback</c> was asked to do; <see cref="To"/> null is the previous version.</summary>
internal sealed record RollbackSettings(UpdateTarget Target, string Model, int? To, string Key, bool Wait, TimeSpan Timeout);
