namespace EdgeAgent.Testing;

/// <summary>Managed bytes an action allocates once warm.</summary>
public static class Allocations
{
    /// <summary>
    /// Runs <paramref name="action"/> <paramref name="warmup"/> times, then measures five windows of
    /// <paramref name="repeats"/> runs and returns the smallest: tiered JIT compilation installs its stubs on the
    /// calling thread now and then, which a single window can catch, while a steady allocation shows in every one.
    /// </summary>
    public static long PerWindow(Action action, int warmup = 100, int repeats = 20)
    {
        ArgumentNullException.ThrowIfNull(action);
        for (var i = 0; i < warmup; i++)
        {
            action();
        }

        var smallest = long.MaxValue;
        for (var window = 0; window < 5; window++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < repeats; i++)
            {
                action();
            }

            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return smallest;
    }
}
