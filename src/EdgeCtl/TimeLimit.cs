using System.Globalization;
using EdgeAgent.Protocol;

namespace EdgeCtl;

/// <summary>Bounds a step of a verb: when the limit passes first, the step ends with exit code 3 and says what did not finish.</summary>
internal static class TimeLimit
{
    /// <exception cref="EdgeCtlException">The limit passed (exit code 3).</exception>
    public static async Task<T> RunAsync<T>(TimeSpan limit, TimeProvider time, string what, Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            return await step(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new EdgeCtlException(ExitCodes.TimedOut, $"timed out after {Seconds(limit)}: {what}", ex);
        }
    }

    public static string Seconds(TimeSpan span) => $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
}
