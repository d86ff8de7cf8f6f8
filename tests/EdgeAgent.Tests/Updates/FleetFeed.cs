using System.Text.Json;
using EdgeAgent.Mqtt;
using EdgeAgent.Protocol;

namespace EdgeAgent.Tests.Updates;

/// <summary>
/// What the devices on a broker retain about themselves, as an operator sees it: the latest <c>edge/+/models</c>
/// document and <c>edge/+/status</c> state of each, to wait on. Waits look at the latest of each, so one wait cannot
/// consume what another waits for; they suit states that last (online, active, committed).
/// </summary>
internal sealed class FleetFeed : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ModelsDocument> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _states = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FleetFeed(MqttClient client) => _client = client;

    public static async Task<FleetFeed> StartAsync(int port, TimeSpan wait)
    {
        var client = new MqttClient(new MqttClientOptions { Port = port, ClientId = $"fleet-{Guid.NewGuid():N}"[..20] });
        client.Start();
        await client.WaitUntilConnectedAsync().WaitAsync(wait);
        var feed = new FleetFeed(client);
        await client.SubscribeAsync("edge/+/models", MqttQos.AtLeastOnce, (message, _) =>
        {
            var document = JsonSerializer.Deserialize(message.Payload.Span, UpdateStatusJsonContext.Default.ModelsDocument)!;
            feed.Changed(() => feed._models[document.Device] = document);
            return ValueTask.CompletedTask;
        }).WaitAsync(wait);
        await client.SubscribeAsync("edge/+/status", MqttQos.AtLeastOnce, (message, _) =>
        {
            using var status = JsonDocument.Parse(message.Payload);
            var state = status.RootElement.GetProperty("state").GetString()!;
            feed.Changed(() => feed._states[message.Topic.Split('/')[1]] = state);
            return ValueTask.CompletedTask;
        }).WaitAsync(wait);
        return feed;
    }

    /// <summary>Waits until <paramref name="device"/>'s latest models document has <paramref name="model"/> matching <paramref name="matches"/>.</summary>
    public Task<ModelStatus> ModelAsync(string device, Func<ModelStatus, bool> matches, TimeSpan wait, Func<string> context, string model = "classifier") =>
        UntilAsync(
            () => _models.GetValueOrDefault(device)?.Models.GetValueOrDefault(model) is { } status && matches(status) ? status : null,
            wait,
            () => $"no matching models document from {device} within {wait} (last: {Describe(_models.GetValueOrDefault(device)?.Models.GetValueOrDefault(model))}):\n{context()}");

    /// <summary>Waits until every one of <paramref name="devices"/> says it is online.</summary>
    public Task OnlineAsync(IReadOnlyList<string> devices, TimeSpan wait, Func<string> context) =>
        UntilAsync(
            () => devices.All(d => _states.GetValueOrDefault(d) == "online") ? string.Empty : null,
            wait,
            () => $"not all of {string.Join(", ", devices)} online within {wait}:\n{context()}");

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private static string Describe(ModelStatus? status) => status is null
        ? "none"
        : $"active v{status.Active?.Version}, committed v{status.Committed?.Version}, update {status.Update?.UpdateId} {status.Update?.State} {status.Update?.Error}";

    private void Changed(Action update)
    {
        lock (_gate)
        {
            update();
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private async Task<T> UntilAsync<T>(Func<T?> found, TimeSpan wait, Func<string> timeout)
        where T : class
    {
        using var limit = new CancellationTokenSource(wait);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (found() is { } value)
                {
                    return value;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                lock (_gate)
                {
                    throw new TimeoutException(timeout());
                }
            }
        }
    }
}
