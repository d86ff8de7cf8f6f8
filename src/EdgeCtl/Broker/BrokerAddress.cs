using System.Globalization;

namespace EdgeCtl.Broker;

/// <summary>A broker as <c>mqtt://host:port</c> or <c>mqtts://host:port</c> (port 1883 or 8883 when left out).</summary>
internal sealed record BrokerAddress(string Host, int Port, bool Tls)
{
    public const string Default = "mqtt://localhost:1883";

    public override string ToString() => $"{(Tls ? "mqtts" : "mqtt")}://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <exception cref="EdgeCtlException">Not an mqtt:// or mqtts:// address of a host and an optional port (exit code 2).</exception>
    public static BrokerAddress Parse(string text, string source)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("mqtt" or "mqtts")
            || uri.DnsSafeHost.Length == 0
            || uri.AbsolutePath is not ("" or "/")
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0
            || uri.UserInfo.Length > 0)
        {
            throw EdgeCtlException.Usage($"{source} '{text}' is not a broker address: expected mqtt://host:port or mqtts://host:port (credentials go in --username and --password-file)");
        }

        var tls = uri.Scheme == "mqtts";
        var port = uri.IsDefaultPort || uri.Port < 0 ? (tls ? 8883 : 1883) : uri.Port;
        return new BrokerAddress(uri.DnsSafeHost, port, tls);
    }
}
