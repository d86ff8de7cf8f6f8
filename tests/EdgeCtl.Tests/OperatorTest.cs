using System.Security.Cryptography;
using EdgeAgent.Protocol;
using EdgeAgent.Testing;

namespace EdgeCtl.Tests;

/// <summary>What a test of an operator command starts from: a real mosquitto on a free loopback port and a key pair made by <c>edgectl keygen</c>.</summary>
public abstract class OperatorTest : IAsyncLifetime, IDisposable
{
    private MosquittoBroker? _broker;
    private ECDsa? _key;

    /// <summary>The test's own folder; <c>ops.key</c> and <c>ops.pub</c> are the operator's keys.</summary>
    private protected TempDirectory Files { get; } = new();

    /// <summary>The operator's public key, as a device trusts it.</summary>
    protected ECDsa Key => _key!;

    protected int Port => _broker!.Port;

    protected string Broker => $"mqtt://127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        var keygen = await Edgectl.RunAsync("keygen", "--out", Files["ops"]);
        Assert.True(keygen.ExitCode == 0, keygen.StandardError);
        _key = SigningKeys.Load(Files["ops.pub"]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _key?.Dispose();
            _broker?.Dispose();
            Files.Dispose();
        }
    }
}
