using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeAgent.Onnx;
using EdgeAgent.Onnx.Benchmarking;
using EdgeAgent.Onnx.Handles;
using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Benchmarks;

/// <summary>
/// The floor: the table's <c>Run</c> slot called directly on the same session, with the same input and output
/// OrtValues the binding has bound and the names the session encoded, and nothing else around it.
/// The session and the buffers must outlive this.
/// </summary>
internal sealed unsafe class BareSide : IRunSide, IDisposable
{
    private readonly OrtApiTable _api;
    private readonly nint _session;
    private readonly OrtRunOptionsHandle _runOptions;
    private readonly nint _runOptionsPointer;
    private readonly byte** _inputNames;
    private readonly byte** _outputNames;
    private readonly nuint _inputCount;
    private readonly nuint _outputCount;
    private nint* _inputValues;
    private nint* _outputValues;

    public BareSide(InferenceSession session, SessionBuffers buffers)
    {
        _api = session.Api;
        _session = session.Handle.DangerousGetHandle();
        _inputNames = session.Handle.InputNames!.Pointers;
        _outputNames = session.Handle.OutputNames!.Pointers;
        _inputCount = (nuint)buffers.Inputs.Count;
        _outputCount = (nuint)buffers.Outputs.Count;
        _runOptions = OrtRunOptionsHandle.Create(_api);
        _runOptionsPointer = _runOptions.DangerousGetHandle();
        _inputValues = ValuesOf(buffers.Inputs);
        _outputValues = ValuesOf(buffers.Outputs);
    }

    public string Name => "bare";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Warm(int minRuns, double minMs)
    {
        var runs = 0;
        var start = Stopwatch.GetTimestamp();
        while (runs < minRuns || RunTimer.Milliseconds(Stopwatch.GetTimestamp() - start) < minMs)
        {
            RunOnce();
            runs++;
        }

        return RunTimer.Milliseconds(Stopwatch.GetTimestamp() - start) / runs;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double[] Measure(int runs)
    {
        var ticks = new long[runs];
        for (var i = 0; i < ticks.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            RunOnce();
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        return RunTimer.ToMilliseconds(ticks);
    }

    public void Dispose()
    {
        NativeMemory.Free(_inputValues);
        NativeMemory.Free(_outputValues);
        _inputValues = null;
        _outputValues = null;
        _runOptions.Dispose();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RunOnce()
    {
        var status = _api.Run(_session, _runOptionsPointer, _inputNames, _inputValues, _inputCount, _outputNames, _outputCount, _outputValues);
        if (status != 0)
        {
            Fail(status);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Fail(nint status) => throw OrtStatus.ToException(_api, status, "Run (bare)");

    private static nint* ValuesOf(IReadOnlyList<OrtTensor> tensors)
    {
        var values = (nint*)NativeMemory.AllocZeroed((nuint)Math.Max(tensors.Count, 1), (nuint)sizeof(nint));
        for (var i = 0; i < tensors.Count; i++)
        {
            values[i] = tensors[i].Handle.DangerousGetHandle();
        }

        return values;
    }
}
