using System.Diagnostics;

namespace EdgeAgent.Benchmarks;

/// <summary>Stopwatch ticks to milliseconds, kept out of the timed loops so each sample costs two timestamp reads.</summary>
internal static class RunTimer
{
    private static readonly double s_msPerTick = 1000.0 / Stopwatch.Frequency;

    public static double[] ToMilliseconds(long[] ticks)
    {
        var ms = new double[ticks.Length];
        for (var i = 0; i < ticks.Length; i++)
        {
            ms[i] = ticks[i] * s_msPerTick;
        }

        return ms;
    }

    public static double Milliseconds(long ticks) => ticks * s_msPerTick;
}
