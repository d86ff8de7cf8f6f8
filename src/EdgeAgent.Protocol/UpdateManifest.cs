namespace EdgeAgent.Protocol;

/// <summary>A signed offer of a model update (CONTRACT.md section 7); sha256 and size are over the bundle.</summary>
public sealed record UpdateManifest
{
    public required string UpdateId { get; init; }

    public required UpdateTarget Target { get; init; }

    public required ModelDescriptor Model { get; init; }

    public required string Sha256 { get; init; }

    public long Size { get; init; }

    public int ChunkSize { get; init; }

    public int ChunkCount { get; init; }

    public required string CreatedAt { get; init; }

    public required string KeyId { get; init; }

    /// <summary>Base64 of the DER ECDSA P-256 / SHA-256 signature over the canonical bytes of everything else.</summary>
    public string? Signature { get; init; }
}

/// <summary>Exactly one of a device id or a group name.</summary>
public sealed record UpdateTarget
{
    public string? Device { get; init; }

    public string? Group { get; init; }
}
