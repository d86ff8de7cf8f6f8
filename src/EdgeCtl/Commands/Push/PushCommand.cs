using EdgeAgent.Protocol;
using EdgeCtl.Broker;
using EdgeCtl.Signing;

namespace EdgeCtl.Commands.Push;

/// <summary>Bundles, signs and sends an update, then with <c>--wait</c> follows every targeted device to its outcome.</summary>
internal static class PushCommand
{
    /// <param name="terminal">Whether <paramref name="output"/> is a terminal, where progress is drawn as bars in place.</param>
    public static async Task<int> RunAsync(PushSettings settings, BrokerSettings broker, TextWriter output, bool terminal, TimeProvider time, CancellationToken cancellationToken)
    {
        var bundle = BundleBuilder.Build(settings.ModelPath, settings.Descriptor, settings.Model, settings.Version);
        SignedUpdate update;
        using (var key = SigningKeyFile.Load(settings.Key))
        {
            update = SignedUpdate.Create(bundle, settings.Target, settings.ChunkSize, key, time.GetUtcNow());
        }

        using var deadline = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        await using var session = await BrokerSession.ConnectAsync(broker, linked.Token).ConfigureAwait(false);
        var sender = new UpdateSender(session, update);
        var what = $"{settings.Model} v{settings.Version} ({update.Manifest.Size} bytes: {string.Join(", ", bundle.Files)}; {update.ChunkCount} chunk{(update.ChunkCount == 1 ? string.Empty : "s")} of {update.Manifest.ChunkSize} bytes)";
        try
        {
            var devices = await TargetDevices.ResolveAsync(session, settings.Target, settings.Wait, "update", output, linked.Token).ConfigureAwait(false);
            var waiter = settings.Wait
                ? new UpdateWaiter(session, update, sender, devices, terminal ? new TerminalProgress(output, devices) : new PlainProgress(output), time)
                : null;
            if (waiter is not null)
            {
                await waiter.SubscribeAsync(linked.Token).ConfigureAwait(false);
            }

            if (settings.Target.Device is { } device)
            {
                await sender.SendToDeviceAsync(device, linked.Token).ConfigureAwait(false);
                output.WriteLine($"sent update {update.UpdateId} to device {device}: {what}");
            }
            else
            {
                await sender.SendToGroupAsync(settings.Target.Group!, devices, linked.Token).ConfigureAwait(false);
                output.WriteLine($"retained update {update.UpdateId} for group {settings.Target.Group}: {what}");
            }

            if (waiter is null)
            {
                return ExitCodes.Success;
            }

            await waiter.WaitAsync(linked.Token).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return Outcome(waiter.Devices, settings, output);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new EdgeCtlException(ExitCodes.TimedOut, $"timed out after {TimeLimit.Seconds(settings.Timeout)} sending update {update.UpdateId} to {broker.Address}", ex);
        }
    }

    private static int Outcome(IReadOnlyCollection<DeviceProgress> devices, PushSettings settings, TextWriter output)
    {
        output.WriteLine();
        foreach (var device in devices.OrderBy(d => d.Device, StringComparer.Ordinal))
        {
            output.WriteLine($"{device.Device}  {(device.IsFinal ? device.Describe() : $"no outcome after {TimeLimit.Seconds(settings.Timeout)} (last: {device.Describe()})")}");
        }

        var failed = devices.Where(d => d.IsFinal && !d.Committed).ToList();
        var pending = devices.Where(d => !d.IsFinal).ToList();
        if (failed.Count > 0)
        {
            throw EdgeCtlException.Refused($"{settings.Model} v{settings.Version} was not taken by {string.Join(", ", failed.Select(d => d.Device))}{(pending.Count > 0 ? $"; no outcome from {string.Join(", ", pending.Select(d => d.Device))}" : string.Empty)}");
        }

        if (pending.Count > 0)
        {
            throw new EdgeCtlException(ExitCodes.TimedOut, $"timed out after {TimeLimit.Seconds(settings.Timeout)} waiting for {string.Join(", ", pending.Select(d => $"{d.Device} ({d.Describe()})"))}");
        }

        output.WriteLine($"{settings.Model} v{settings.Version} committed on {devices.Count} device{(devices.Count == 1 ? string.Empty : "s")}");
        return ExitCodes.Success;
    }
}
