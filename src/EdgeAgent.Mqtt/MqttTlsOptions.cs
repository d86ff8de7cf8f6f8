namespace EdgeAgent.Mqtt;

/// <summary>TLS towards the broker: the CA that signed its certificate, and optionally our own certificate and key (PEM).</summary>
public sealed class MqttTlsOptions
{
    public required string CaFile { get; init; }

    /// <summary>The client certificate; give <see cref="KeyFile"/> with it, or neither.</summary>
    public string? CertFile { get; init; }

    /// <summary>The client certificate's private key, unencrypted (a daemon has nobody to type a pass phrase).</summary>
    public string? KeyFile { get; init; }
}
