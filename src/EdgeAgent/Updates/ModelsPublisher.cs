using System.Text.Json;
using EdgeAgent.Mqtt;
using EdgeAgent.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Updates;

/// <summary>
/// The retained <c>models</c> topic: the newest document is published whenever it changes and again after every
/// reconnect; documents superseded before the broker took them are skipped.
/// </summary>
internal sealed class ModelsPublisher(string topic, ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _changed = new(0);
    private byte[]? _latest;

    /// <summary>The last document handed over, serialised.</summary>
    public byte[]? Latest => Volatile.Read(ref _latest);

    public void Update(ModelsDocument document)
    {
        Volatile.Write(ref _latest, JsonSerializer.SerializeToUtf8Bytes(document, UpdateStatusJsonContext.Default.ModelsDocument));
        _changed.Release();
    }

    public async Task RunAsync(MqttClient client, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(client);
        while (!stopping.IsCancellationRequested)
        {
            await client.WaitUntilConnectedAsync(stopping);
            while (client.State == MqttConnectionState.Connected)
            {
                if (Latest is { } payload)
                {
                    try
                    {
                        await client.PublishAsync(topic, payload, MqttQos.AtLeastOnce, retain: true, stopping);
                    }
                    catch (Exception ex) when (ex is MqttReasonException or MosquittoException)
                    {
                        Log.ModelsTopicFailed(logger, ex.Message);
                    }
                }

                while (client.State == MqttConnectionState.Connected && !await _changed.WaitAsync(TimeSpan.FromSeconds(1), stopping))
                {
                }

                while (_changed.CurrentCount > 0)
                {
                    await _changed.WaitAsync(stopping);
                }
            }
        }
    }

    public void Dispose() => _changed.Dispose();
}
