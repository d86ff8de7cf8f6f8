using System.Globalization;
using EdgeAgent.Tests.Outbox;

namespace EdgeAgent.Tests;

/// <summary>
/// The test assembly run as a program: <c>outbox-writer STATE_DIR PORT CLIENT_ID</c> opens the daemon's outbox under
/// STATE_DIR, publishes it to the broker on PORT, and appends results to four streams in turn, printing
/// "STREAM SEQ" for each one the outbox accepted, until it is killed or its standard input closes.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["outbox-writer", var state, var port, var clientId])
        {
            await Console.Error.WriteLineAsync("usage: outbox-writer STATE_DIR PORT CLIENT_ID");
            return 2;
        }

        // The parent holds standard input open; if it goes away, so does this process.
        var parentGone = Task.Run(() => Console.In.ReadToEnd());
        await using var agent = PublishingOutbox.Open(state, int.Parse(port, CultureInfo.InvariantCulture), clientId);
        for (var i = 0; !parentGone.IsCompleted; i++)
        {
            var stream = $"cam{i % 4}";
            var seq = agent.Outbox.NextSeq(stream);
            var topic = PublishingOutbox.Topics.Results(PublishingOutbox.Device, stream);
            if (agent.Outbox.Enqueue(stream, seq, topic, 1, ResultPayload.Create(stream, seq)))
            {
                Console.Out.WriteLine($"{stream} {seq}");
            }
        }

        return 0;
    }
}
