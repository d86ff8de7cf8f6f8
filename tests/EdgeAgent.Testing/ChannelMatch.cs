using System.Threading.Channels;

namespace EdgeAgent.Testing;

/// <summary>Waiting on a channel of observed messages for the first one a test is looking for.</summary>
public static class ChannelMatch
{
    /// <summary>
    /// Reads until an item <paramref name="matches"/>, skipping the others; after <paramref name="wait"/> throws a
    /// <see cref="TimeoutException"/> with <paramref name="context"/>'s explanation (what the process under test printed).
    /// </summary>
    public static async Task<T> FirstAsync<T>(this ChannelReader<T> reader, Func<T, bool> matches, TimeSpan wait, Func<string> context)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentNullException.ThrowIfNull(context);
        using var limit = new CancellationTokenSource(wait);
        try
        {
            while (true)
            {
                var item = await reader.ReadAsync(limit.Token).ConfigureAwait(false);
                if (matches(item))
                {
                    return item;
                }
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            throw new TimeoutException($"nothing matching within {wait}:\n{context()}");
        }
    }
}
