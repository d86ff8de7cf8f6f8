using System.Diagnostics;
using System.Runtime.CompilerServices;
using EdgeAgent.Onnx;

namespace EdgeAgent.Benchmarks;

/// <summary>Runs through our binding (<see cref="SessionBinding.Run"/>), counting the managed bytes the timed runs allocate.</summary>
internal sealed class BindingSide(SessionBinding binding) : IRunSide
{
    private long _allocatedBytes;
    private long _measuredRuns;

    public string Name => "ours";

    /// <summary>Managed bytes allocated on this thread per timed run, over every <see cref="Measure"/> so far.</summary>
    public double BytesPerRun => _measuredRuns == 0 ? 0 : (double)_allocatedBytes / _measuredRuns;

    public long AllocatedBytes => _allocatedBytes;

    public long MeasuredRuns => _measuredRuns;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Warm(int minRuns, double minMs)
    {
        var runs = 0;
        var start = Stopwatch.GetTimestamp();
        while (runs < minRuns || RunTimer.Milliseconds(Stopwatch.GetTimestamp() - start) < minMs)
        {
            binding.Run();
            runs++;
        }

        return RunTimer.Milliseconds(Stopwatch.GetTimestamp() - start) / runs;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double[] Measure(int runs)
    {
        var ticks = new long[runs];
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < ticks.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            binding.Run();
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        _allocatedBytes += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        _measuredRuns += runs;
        return RunTimer.ToMilliseconds(ticks);
    }
}
