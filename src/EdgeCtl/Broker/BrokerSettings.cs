using EdgeAgent.Mqtt;
using EdgeAgent.Protocol;

namespace EdgeCtl.Broker;

/// <summary>Where the broker is and how edgectl authenticates to it; every file is checked before connecting.</summary>
internal sealed record BrokerSettings(BrokerAddress Address, string Prefix, string? Username, string? PasswordFile, string? TlsCa, string? TlsCert, string? TlsKey)
{
    /// <summary>CA bundles tried for mqtts:// without --tls-ca: Debian and Raspberry Pi OS, then Fedora, then macOS.</summary>
    private static readonly string[] s_systemCaBundles = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"];

    public Topics Topics => new(Prefix);

    /// <exception cref="EdgeCtlException">An option is wrong; the message names it (exit code 2).</exception>
    public void Validate()
    {
        if (Prefix.Length == 0 || Prefix.StartsWith('/') || Prefix.EndsWith('/') || Prefix.AsSpan().IndexOfAny("+#\0") >= 0)
        {
            throw EdgeCtlException.Usage($"--prefix '{Prefix}' must be a topic prefix without '+', '#' or a leading or trailing '/'");
        }

        if (PasswordFile is not null && Username is null)
        {
            throw EdgeCtlException.Usage("--password-file needs --username");
        }

        RequireFile("--password-file", PasswordFile);
        if (!Address.Tls && (TlsCa ?? TlsCert ?? TlsKey) is not null)
        {
            throw EdgeCtlException.Usage($"--tls-ca, --tls-cert and --tls-key need a TLS broker address (mqtts://), not {Address}");
        }

        if ((TlsCert is null) != (TlsKey is null))
        {
            throw EdgeCtlException.Usage("--tls-cert and --tls-key go together: give both or neither");
        }

        RequireFile("--tls-ca", TlsCa);
        RequireFile("--tls-cert", TlsCert);
        RequireFile("--tls-key", TlsKey);
    }

    /// <summary>Client options for one short-lived session: a fresh client id, no session kept on the broker, and few attempts.</summary>
    public MqttClientOptions ClientOptions()
    {
        MqttTlsOptions? tls = null;
        if (Address.Tls)
        {
            var ca = TlsCa ?? s_systemCaBundles.FirstOrDefault(File.Exists)
                ?? throw EdgeCtlException.Usage($"{Address} needs --tls-ca: no system CA bundle found at {string.Join(", ", s_systemCaBundles)}");
            tls = new MqttTlsOptions { CaFile = ca, CertFile = TlsCert, KeyFile = TlsKey };
        }

        return new MqttClientOptions
        {
            Host = Address.Host,
            Port = Address.Port,
            ClientId = $"edgectl-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 6))}",
            SessionExpiry = TimeSpan.Zero,
            Username = Username,
            PasswordFile = PasswordFile,
            Tls = tls,
            ReconnectDelay = TimeSpan.FromMilliseconds(500),
            MaxReconnectDelay = TimeSpan.FromSeconds(2),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            MaxConnectAttempts = 3,
            MaxAuthenticationFailures = 1,
        };
    }

    private static void RequireFile(string option, string? path)
    {
        if (path is not null && !File.Exists(path))
        {
            throw EdgeCtlException.Usage($"{option} {path}: no such file");
        }
    }
}
