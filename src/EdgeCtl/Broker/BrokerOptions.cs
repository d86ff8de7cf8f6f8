using System.CommandLine;

namespace EdgeCtl.Broker;

/// <summary>The broker options every verb takes (CONTRACT.md section 2), declared once and added to each verb.</summary>
internal sealed class BrokerOptions
{
    public const string BrokerVariable = "EDGECTL_BROKER";

    private readonly Option<string?> _broker = new("--broker")
    {
        Description = $"The broker, mqtt://host:port or mqtts://host:port (default: ${BrokerVariable}, else {BrokerAddress.Default})",
    };

    private readonly Option<string> _prefix = new("--prefix") { Description = "The topic prefix the devices use", DefaultValueFactory = _ => "edge" };

    private readonly Option<string?> _username = new("--username") { Description = "The user name to log in to the broker with" };

    private readonly Option<string?> _passwordFile = new("--password-file") { Description = "A file holding the broker password (a trailing newline is ignored)" };

    private readonly Option<string?> _tlsCa = new("--tls-ca") { Description = "PEM CA certificates that signed the broker's certificate (mqtts://; default: the system's)" };

    private readonly Option<string?> _tlsCert = new("--tls-cert") { Description = "PEM client certificate, with --tls-key" };

    private readonly Option<string?> _tlsKey = new("--tls-key") { Description = "PEM private key of the client certificate" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _broker, _prefix, _username, _passwordFile, _tlsCa, _tlsCert, _tlsKey })
        {
            command.Options.Add(option);
        }
    }

    /// <exception cref="EdgeCtlException">An option is wrong (exit code 2).</exception>
    public BrokerSettings Read(ParseResult parsed) => Read(parsed, Environment.GetEnvironmentVariable);

    /// <summary>Reads the options, with <paramref name="environment"/> giving <c>$EDGECTL_BROKER</c>.</summary>
    public BrokerSettings Read(ParseResult parsed, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(environment);
        var fromOption = parsed.GetValue(_broker);
        var fromEnvironment = environment(BrokerVariable);
        var address = fromOption is not null ? BrokerAddress.Parse(fromOption, "--broker")
            : !string.IsNullOrEmpty(fromEnvironment) ? BrokerAddress.Parse(fromEnvironment, $"${BrokerVariable}")
            : BrokerAddress.Parse(BrokerAddress.Default, "the default broker");
        var settings = new BrokerSettings(
            address,
            parsed.GetValue(_prefix)!,
            parsed.GetValue(_username),
            parsed.GetValue(_passwordFile),
            parsed.GetValue(_tlsCa),
            parsed.GetValue(_tlsCert),
            parsed.GetValue(_tlsKey));
        settings.Validate();
        return settings;
    }
}
