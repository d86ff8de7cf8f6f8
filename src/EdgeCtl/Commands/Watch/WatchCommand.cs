using EdgeAgent.Protocol;
using EdgeCtl.Broker;

namespace EdgeCtl.Commands.Watch;

/// <summary>Subscribes to a device's results and prints a line for each as it arrives.</summary>
internal static class WatchCommand
{
    public static async Task<int> RunAsync(WatchSettings settings, BrokerSettings broker, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var session = await BrokerSession.ConnectAsync(broker, cancellationToken).ConfigureAwait(false);
        var prefix = $"{broker.Prefix}/{settings.Device}/results/";
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = 0;

        // Handlers run one at a time on the client's dispatch task, so the lines keep the broker's order.
        await session.SubscribeAsync(prefix + (settings.Stream ?? "+"), message =>
        {
            if (enough.Task.IsCompleted)
            {
                return;
            }

            output.WriteLine(ResultLine.Format($"{settings.Device}/{message.Topic[prefix.Length..]}", message.Payload));
            if (++seen == settings.Count)
            {
                enough.TrySetResult();
            }
        }, cancellationToken).ConfigureAwait(false);

        using var limit = settings.Timeout is { } timeout ? new CancellationTokenSource(timeout, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
        try
        {
            await enough.Task.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            enough.TrySetResult();
            if (settings.Count is { } count)
            {
                throw new EdgeCtlException(ExitCodes.TimedOut, $"timed out after {TimeLimit.Seconds(settings.Timeout!.Value)} with {seen} of {count} results from {settings.Device}");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            enough.TrySetResult();
        }

        return ExitCodes.Success;
    }
}
