using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EdgeAgent.Protocol;
using EdgeCtl.Broker;
using EdgeCtl.Commands.Push;
using EdgeCtl.Signing;

namespace EdgeCtl.Commands.Rollback;

/// <summary>
/// A rollback command signed like a manifest (CONTRACT.md section 6): <c>{"model","to","target","issued_at","key_id","signature"}</c>.
/// A device refuses one not newer than the last it accepted from the key, so <c>issued_at</c> carries milliseconds.
/// With <c>--wait</c> it follows every targeted device (for a group, the members online now) until each rolled back
/// (exit 0), one refused (1) or the timeout passed (3).
/// </summary>
internal static class RollbackCommand
{
    public static async Task<int> RunAsync(RollbackSettings settings, BrokerSettings broker, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        var (target, model, to) = (settings.Target, settings.Model, settings.To);
        byte[] payload;
        string keyId;
        var issuedAt = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        using (var key = SigningKeyFile.Load(settings.Key))
        {
            var document = new JsonObject
            {
                ["model"] = model,
                ["to"] = to is { } version ? JsonValue.Create(version) : JsonValue.Create("previous"),
                ["target"] = target.Device is { } device ? new JsonObject { ["device"] = device } : new JsonObject { ["group"] = target.Group },
                ["issued_at"] = issuedAt,
            };
            ManifestSigning.Sign(document, key);
            payload = Encoding.UTF8.GetBytes(document.ToJsonString());
            keyId = ManifestSigning.KeyId(key);
        }

        await using var session = await BrokerSession.ConnectAsync(broker, cancellationToken).ConfigureAwait(false);
        var toText = to is { } v ? "v" + v.ToString(CultureInfo.InvariantCulture) : "the previous version";
        using var deadline = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            RollbackWaiter? waiter = null;
            if (settings.Wait)
            {
                var devices = await TargetDevices.ResolveAsync(session, target, wait: true, "rollback", output, linked.Token).ConfigureAwait(false);
                waiter = new RollbackWaiter(session, model, issuedAt, devices, output);
                await waiter.SubscribeAsync(linked.Token).ConfigureAwait(false);
            }

            if (target.Device is { } device)
            {
                await session.PublishAsync(session.Topics.Rollback(device), payload, retain: false, linked.Token).ConfigureAwait(false);
                output.WriteLine($"sent rollback of {model} to {toText} to device {device} (issued_at {issuedAt}, key id {keyId})");
            }
            else
            {
                await UpdateSender.ClearGroupAsync(session, target.Group!, linked.Token).ConfigureAwait(false);
                await session.PublishAsync(session.Topics.GroupRollback(target.Group!), payload, retain: true, linked.Token).ConfigureAwait(false);
                output.WriteLine($"retained rollback of {model} to {toText} for group {target.Group}, replacing its retained update (issued_at {issuedAt}, key id {keyId})");
            }

            if (waiter is null)
            {
                return ExitCodes.Success;
            }

            await waiter.WaitAsync(linked.Token).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return Outcome(waiter.Outcomes, settings, output);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new EdgeCtlException(ExitCodes.TimedOut, $"timed out after {TimeLimit.Seconds(settings.Timeout)} sending the rollback to {broker.Address}", ex);
        }
    }

    private static int Outcome(IReadOnlyDictionary<string, RollbackOutcome?> outcomes, RollbackSettings settings, TextWriter output)
    {
        var refused = outcomes.Values.Where(o => o is { Refusal: not null }).Select(o => o!.Device).Order(StringComparer.Ordinal).ToList();
        var silent = outcomes.Where(o => o.Value is null).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
        if (refused.Count > 0)
        {
            throw EdgeCtlException.Refused($"the rollback of {settings.Model} was refused by {string.Join(", ", refused)}{(silent.Count > 0 ? $"; no answer from {string.Join(", ", silent)}" : string.Empty)}");
        }

        if (silent.Count > 0)
        {
            throw new EdgeCtlException(ExitCodes.TimedOut, $"timed out after {TimeLimit.Seconds(settings.Timeout)} waiting for the rollback of {settings.Model} on {string.Join(", ", silent)}");
        }

        var versions = outcomes.Values.Select(o => o!.Version!.Value).Distinct().Order().Select(v => "v" + v.ToString(CultureInfo.InvariantCulture));
        output.WriteLine($"{settings.Model} rolled back to {string.Join(", ", versions)} on {outcomes.Count} device{(outcomes.Count == 1 ? string.Empty : "s")}");
        return ExitCodes.Success;
    }
}
