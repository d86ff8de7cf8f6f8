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
/// </summary>
internal static class RollbackCommand
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(UpdateTarget target, string model, int? to, string keyPath, BrokerSettings broker, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        byte[] payload;
        string keyId;
        var issuedAt = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        using (var key = SigningKeyFile.Load(keyPath))
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
        await TimeLimit.RunAsync(s_limit, time, $"sending the rollback to {broker.Address}", async token =>
        {
            if (target.Device is { } device)
            {
                await session.PublishAsync(session.Topics.Rollback(device), payload, retain: false, token).ConfigureAwait(false);
                output.WriteLine($"sent rollback of {model} to {toText} to device {device} (issued_at {issuedAt}, key id {keyId})");
            }
            else
            {
                await UpdateSender.ClearGroupAsync(session, target.Group!, token).ConfigureAwait(false);
                await session.PublishAsync(session.Topics.GroupRollback(target.Group!), payload, retain: true, token).ConfigureAwait(false);
                output.WriteLine($"retained rollback of {model} to {toText} for group {target.Group}, replacing its retained update (issued_at {issuedAt}, key id {keyId})");
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
