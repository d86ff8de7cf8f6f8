namespace EdgeAgent.Mqtt;

/// <summary>Where and how <see cref="MqttClient"/> connects; checked by <see cref="Validate"/> when the client is created.</summary>
public sealed class MqttClientOptions
{
    /// <summary>The largest payload MQTT can carry (268,435,455 bytes).</summary>
    public const int MaxPayloadBytes = 268_435_455;

    public string Host { get; init; } = "localhost";

    public int Port { get; init; } = 1883;

    /// <summary>The client id; the broker keeps the persistent session under it, so it must be stable across restarts.</summary>
    public required string ClientId { get; init; }

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the broker keeps the session (subscriptions, queued QoS 1 messages) after a disconnect.</summary>
    public TimeSpan SessionExpiry { get; init; } = TimeSpan.FromHours(24);

    public string? Username { get; init; }

    /// <summary>A file holding the password (a trailing newline is ignored); only with <see cref="Username"/>.</summary>
    public string? PasswordFile { get; init; }

    public MqttTlsOptions? Tls { get; init; }

    public MqttWill? Will { get; init; }

    /// <summary>The median first delay before reconnecting; it doubles (with jitter) per failed attempt up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a connected socket may wait for the broker's CONNACK.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive failed attempts before the client gives up; null (the default) retries for ever.</summary>
    public int? MaxConnectAttempts { get; init; }

    /// <summary>Consecutive refusals for bad credentials or authorisation before the client gives up, even when retrying for ever.</summary>
    public int MaxAuthenticationFailures { get; init; } = 5;

    /// <summary>Publishes awaiting their acknowledgement; a further publish waits for a slot.</summary>
    public int MaxPendingPublishes { get; init; } = 1024;

    /// <summary>Received messages waiting for their handlers; beyond it new ones are dropped and counted.</summary>
    public int IncomingMessageCapacity { get; init; } = 4096;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad option.</summary>
    public void Validate()
    {
        Check(!string.IsNullOrWhiteSpace(Host), nameof(Host), Host, "a host name or IP address");
        Check(Port is > 0 and <= 65535, nameof(Port), Port, "1 to 65535");
        Check(!string.IsNullOrEmpty(ClientId) && ClientId.Length <= 65535, nameof(ClientId), ClientId, "a non-empty, stable client id");
        Check(KeepAlive >= TimeSpan.FromSeconds(5) && KeepAlive <= TimeSpan.FromSeconds(65535), nameof(KeepAlive), KeepAlive, "5 s to 65535 s");
        Check(SessionExpiry >= TimeSpan.Zero && SessionExpiry.TotalSeconds <= uint.MaxValue, nameof(SessionExpiry), SessionExpiry, "0 or more seconds");
        Check(PasswordFile is null || Username is not null, nameof(PasswordFile), PasswordFile, "a password file only together with Username");
        Check(PasswordFile is null || File.Exists(PasswordFile), nameof(PasswordFile), PasswordFile, "an existing, readable file");
        if (Tls is { } tls)
        {
            Check(File.Exists(tls.CaFile), "Tls:CaFile", tls.CaFile, "an existing PEM file");
            Check((tls.CertFile is null) == (tls.KeyFile is null), "Tls:CertFile", tls.CertFile, "a certificate and a key together, or neither");
            Check(tls.CertFile is null || File.Exists(tls.CertFile), "Tls:CertFile", tls.CertFile, "an existing PEM file");
            Check(tls.KeyFile is null || File.Exists(tls.KeyFile), "Tls:KeyFile", tls.KeyFile, "an existing PEM file");
        }

        if (Will is { } will)
        {
            Check(TopicFilter.IsValidTopicName(will.Topic), "Will:Topic", will.Topic, "a topic without + or #");
            Check(will.Payload.Length <= MaxPayloadBytes, "Will:Payload", will.Payload.Length, $"at most {MaxPayloadBytes} bytes");
        }

        Check(ReconnectDelay > TimeSpan.Zero, nameof(ReconnectDelay), ReconnectDelay, "more than zero");
        Check(MaxReconnectDelay >= ReconnectDelay, nameof(MaxReconnectDelay), MaxReconnectDelay, "at least ReconnectDelay");
        Check(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), ConnectTimeout, "more than zero");
        Check(MaxConnectAttempts is null or > 0, nameof(MaxConnectAttempts), MaxConnectAttempts, "null (for ever) or 1 or more");
        Check(MaxAuthenticationFailures > 0, nameof(MaxAuthenticationFailures), MaxAuthenticationFailures, "1 or more");
        Check(MaxPendingPublishes is > 0 and < 65535, nameof(MaxPendingPublishes), MaxPendingPublishes, "1 to 65534 (message ids are 16 bits)");
        Check(IncomingMessageCapacity > 0, nameof(IncomingMessageCapacity), IncomingMessageCapacity, "1 or more");
    }

    private static void Check(bool ok, string name, object? value, string allowed)
    {
        if (!ok)
        {
            throw new ArgumentException($"Mqtt option {name} = '{value}' is not allowed: expected {allowed}", name);
        }
    }
}
