using EdgeAgent.Interop;

namespace EdgeAgent.Sensors;

/// <summary>Blocking a sampler thread of its own until a moment, so that a sample costs one wake-up and no timer or thread-pool work.</summary>
internal static class ClockSleep
{
    // A blocked sampler looks at the clock and its cancellation at least this often, whatever the rate.
    private static readonly TimeSpan s_longestSleep = TimeSpan.FromMilliseconds(50);

    /// <summary>Sleeps for what <paramref name="time"/> says remains until <paramref name="dueTimestamp"/>, looking again after each sleep.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public static void Until(TimeProvider time, long dueTimestamp, CancellationToken cancellationToken)
    {
        for (var now = time.GetTimestamp(); now < dueTimestamp; now = time.GetTimestamp())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = TimeSpan.FromSeconds((double)(dueTimestamp - now) / time.TimestampFrequency);
            Libc.Sleep(remaining < s_longestSleep ? remaining : s_longestSleep);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
