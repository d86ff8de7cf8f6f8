using EdgeAgent.Testing;

namespace EdgeAgent.Mqtt.Tests;

/// <summary>A throwaway CA with a server certificate for 127.0.0.1/localhost and a client certificate, made with openssl.</summary>
public static class Certificates
{
    public static async Task CreateAsync(string directory, string caName = "ca")
    {
        await OpenSsl(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", $"{caName}.key", "-out", $"{caName}.crt", "-days", "2", "-subj", $"/CN=edge-agent test {caName}");
        await File.WriteAllTextAsync(Path.Combine(directory, "server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        await Signed(directory, caName, "server", "localhost", "server.ext");
        await File.WriteAllTextAsync(Path.Combine(directory, "client.ext"), "extendedKeyUsage=clientAuth\n");
        await Signed(directory, caName, "client", "pi-01", "client.ext");
    }

    private static async Task Signed(string directory, string caName, string name, string commonName, string extensions)
    {
        await OpenSsl(directory, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", $"{name}.key", "-out", $"{name}.csr", "-subj", $"/CN={commonName}");
        await OpenSsl(directory, "x509", "-req", "-in", $"{name}.csr", "-CA", $"{caName}.crt", "-CAkey", $"{caName}.key",
            "-CAcreateserial", "-out", $"{name}.crt", "-days", "2", "-extfile", extensions);
    }

    private static async Task OpenSsl(string directory, params string[] arguments)
    {
        var result = await ChildProcess.RunAsync("openssl", arguments.Select(a => a.EndsWith(".key", StringComparison.Ordinal) || a.EndsWith(".crt", StringComparison.Ordinal) || a.EndsWith(".csr", StringComparison.Ordinal) || a.EndsWith(".ext", StringComparison.Ordinal) ? Path.Combine(directory, a) : a), TestClients.Timeout);
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', arguments)} failed: {result.StandardError}");
    }
}
