using EdgeAgent.Protocol;

namespace EdgeCtl.Commands.Push;

/// <summary>What <c>edgectl push</c> was asked to do.</summary>
internal sealed record PushSettings(
    string ModelPath,
    UpdateTarget Target,
    string Model,
    int Version,
    string? Descriptor,
    string Key,
    bool Wait,
    TimeSpan Timeout,
    int ChunkSize);
