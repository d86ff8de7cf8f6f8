using System.CommandLine;
using EdgeAgent.Testing;
using EdgeCtl.Broker;

namespace EdgeCtl.Tests;

/// <summary>The broker options every verb shares (CONTRACT.md section 2) and what a broker that is down or refuses us gives.</summary>
public sealed class BrokerOptionsTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new();
    private MosquittoBroker? _broker;

    public async Task InitializeAsync() =>
        _broker = await MosquittoBroker.StartAsync(
            global: "allow_anonymous false\npassword_file {dir}/passwords",
            prepare: async directory =>
            {
                var result = await ChildProcess.RunAsync("mosquitto_passwd", ["-c", "-b", Path.Combine(directory, "passwords"), "ops", "s3cret"], Mqtt.Timeout);
                Assert.True(result.ExitCode == 0, $"mosquitto_passwd failed: {result.StandardError}");
            });

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _broker?.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void Defaults_to_the_environment_variable_then_localhost_and_the_edge_prefix()
    {
        var fromDefault = Read([], _ => null);
        var fromEnvironment = Read([], name => name == "EDGECTL_BROKER" ? "mqtts://broker.example:9999" : null);
        var fromOption = Read(["--broker", "mqtt://[::1]", "--prefix", "plant/a"], _ => "mqtts://broker.example:9999");

        Assert.Equal(new BrokerAddress("localhost", 1883, Tls: false), fromDefault.Address);
        Assert.Equal("edge", fromDefault.Prefix);
        Assert.Equal(new BrokerAddress("broker.example", 9999, Tls: true), fromEnvironment.Address);
        Assert.Equal(new BrokerAddress("::1", 1883, Tls: false), fromOption.Address);
        Assert.Equal("mqtt://[::1]:1883", fromOption.Address.ToString());
        Assert.Equal("plant/a/pi-01/status", fromOption.Topics.Status("pi-01"));
        Assert.Equal(8883, Read(["--broker", "mqtts://broker.example"], _ => null).Address.Port);
    }

    [Fact]
    public void Mqtts_uses_the_given_ca_or_the_systems_and_a_client_certificate_with_its_key()
    {
        File.WriteAllText(_directory["ca.pem"], "ca");
        File.WriteAllText(_directory["client.pem"], "cert");
        File.WriteAllText(_directory["client.key"], "key");

        var given = Read(["--broker", "mqtts://broker.example", "--tls-ca", _directory["ca.pem"], "--tls-cert", _directory["client.pem"], "--tls-key", _directory["client.key"]], _ => null).ClientOptions();
        var system = Read(["--broker", "mqtts://broker.example"], _ => null).ClientOptions();
        var plain = Read(["--broker", "mqtt://broker.example"], _ => null).ClientOptions();

        Assert.Equal((_directory["ca.pem"], _directory["client.pem"], _directory["client.key"]), (given.Tls!.CaFile, given.Tls.CertFile, given.Tls.KeyFile));
        Assert.Equal(("broker.example", 8883), (given.Host, given.Port));
        Assert.Equal("/etc/ssl/certs/ca-certificates.crt", system.Tls!.CaFile);
        Assert.Null(system.Tls.CertFile);
        Assert.Null(plain.Tls);
        Assert.Equal(TimeSpan.Zero, plain.SessionExpiry);
        Assert.NotEqual(plain.ClientId, system.ClientId);
    }

    [Theory]
    [InlineData("--broker", "http://broker:1883", "--broker 'http://broker:1883' is not a broker address: expected mqtt://host:port or mqtts://host:port")]
    [InlineData("--broker", "mqtt://ops:pw@broker:1883", "credentials go in --username and --password-file")]
    [InlineData("--tls-ca", "/etc/hostname", "--tls-ca, --tls-cert and --tls-key need a TLS broker address (mqtts://), not mqtt://127.0.0.1:")]
    [InlineData("--password-file", "/etc/hostname", "--password-file needs --username")]
    [InlineData("--prefix", "edge/#", "--prefix 'edge/#' must be a topic prefix without '+', '#'")]
    public async Task A_wrong_option_is_a_usage_error_naming_it(string option, string value, string message)
    {
        string[] broker = option == "--broker" ? [] : ["--broker", $"mqtt://127.0.0.1:{_broker!.Port}"];
        var result = await Edgectl.RunAsync(["status", .. broker, option, value]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_password_file_or_a_half_client_certificate_is_a_usage_error()
    {
        var missing = await Edgectl.RunAsync("status", "--username", "ops", "--password-file", _directory["nope"]);
        var half = await Edgectl.RunAsync("status", "--broker", "mqtts://127.0.0.1:8883", "--tls-ca", "/etc/hostname", "--tls-cert", "/etc/hostname");

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains($"--password-file {_directory["nope"]}: no such file", missing.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, half.ExitCode);
        Assert.Contains("--tls-cert and --tls-key go together", half.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_that_is_down_gives_exit_code_4_naming_it()
    {
        var port = LoopbackPorts.Free();

        var fromOption = await Edgectl.RunAsync("status", "--broker", $"mqtt://127.0.0.1:{port}");
        var fromEnvironment = await Edgectl.RunAsync(new Dictionary<string, string> { ["EDGECTL_BROKER"] = $"mqtt://127.0.0.1:{port}" }, "status");

        foreach (var result in new[] { fromOption, fromEnvironment })
        {
            Assert.Equal(4, result.ExitCode);
            Assert.Contains($"edgectl: cannot connect to the broker at mqtt://127.0.0.1:{port}: ", result.StandardError, StringComparison.Ordinal);
            Assert.Empty(result.StandardOutput);
        }
    }

    [Fact]
    public async Task A_broker_that_refuses_the_password_gives_exit_code_4_and_the_right_one_logs_in()
    {
        File.WriteAllText(_directory["wrong"], "guess\n");
        File.WriteAllText(_directory["right"], "s3cret\n");
        var broker = $"mqtt://127.0.0.1:{_broker!.Port}";

        var refused = await Edgectl.RunAsync("status", "--broker", broker, "--username", "ops", "--password-file", _directory["wrong"]);
        var anonymous = await Edgectl.RunAsync("status", "--broker", broker);
        var accepted = await Edgectl.RunAsync("status", "--broker", broker, "--username", "ops", "--password-file", _directory["right"]);

        Assert.Equal(4, refused.ExitCode);
        Assert.Contains($"cannot connect to the broker at {broker}: the broker refused us", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(4, anonymous.ExitCode);
        Assert.True(accepted.ExitCode == 0, accepted.StandardError);
        Assert.Contains("no devices have a retained status under edge/", accepted.StandardOutput, StringComparison.Ordinal);
    }

    private static BrokerSettings Read(string[] arguments, Func<string, string?> environment)
    {
        var options = new BrokerOptions();
        var command = new RootCommand();
        options.AddTo(command);
        return options.Read(command.Parse(arguments), environment);
    }
}
