using EdgeAgent.Onnx.Handles;
using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx;

public sealed unsafe partial class InferenceSession
{
    /// <summary>
    /// Runs the model once and returns the outputs ONNX Runtime allocated, in the order asked for (every
    /// output when <paramref name="outputNames"/> is null). Safe from several threads; the caller disposes the results.
    /// </summary>
    /// <exception cref="ArgumentException">An input is missing, unknown, or of the wrong element type or shape.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the run was stopped.</exception>
    public IReadOnlyList<OrtTensor> Run(IReadOnlyDictionary<string, OrtTensor> inputs, IReadOnlyList<string>? outputNames = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var bound = new OrtTensor[Inputs.Count];
        foreach (var (name, tensor) in inputs)
        {
            var index = InputIndex(name);
            Validate(Inputs[index], tensor, "input");
            bound[index] = tensor;
        }

        var missing = Inputs.Where((_, i) => bound[i] is null).Select(n => n.Name).ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException($"inputs not given: {string.Join(", ", missing)}", nameof(inputs));
        }

        var outputIndexes = outputNames is null ? [.. Enumerable.Range(0, Outputs.Count)] : outputNames.Select(OutputIndex).ToArray();
        var inputValues = new nint[bound.Length];
        var outputValues = new nint[outputIndexes.Length];
        var outputNamePointers = new nint[outputIndexes.Length];
        var referenced = new List<OrtHandle>(bound.Length + 2);
        var api = Api;
        using var runOptionsHandle = OrtRunOptionsHandle.Create(api);
        try
        {
            AddRef(Handle, referenced);
            for (var i = 0; i < bound.Length; i++)
            {
                AddRef(bound[i].Handle, referenced);
                inputValues[i] = bound[i].Handle.DangerousGetHandle();
            }

            for (var i = 0; i < outputIndexes.Length; i++)
            {
                outputNamePointers[i] = (nint)Handle.OutputNames!.Pointers[outputIndexes[i]];
            }

            using var registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static state => ((OrtRunOptionsHandle)state!).TryTerminate(), runOptionsHandle)
                : default;
            cancellationToken.ThrowIfCancellationRequested();
            nint status;
            fixed (nint* inputsPointer = inputValues)
            fixed (nint* outputsPointer = outputValues)
            fixed (nint* outputNamesPointer = outputNamePointers)
            {
                status = api.Run(Handle.DangerousGetHandle(), runOptionsHandle.DangerousGetHandle(), Handle.InputNames!.Pointers, inputsPointer, (nuint)inputValues.Length, (byte**)outputNamesPointer, (nuint)outputValues.Length, outputsPointer);
            }

            if (status != 0)
            {
                SessionBinding.ThrowRunFailed(OrtStatus.ToException(api, status, "Run"), cancellationToken);
            }

            var results = new OrtTensor[outputValues.Length];
            for (var i = 0; i < outputValues.Length; i++)
            {
                results[i] = OrtTensor.FromOwnedValue(api, outputValues[i]);
                outputValues[i] = 0;
            }

            return results;
        }
        finally
        {
            foreach (var value in outputValues)
            {
                if (value != 0)
                {
                    api.ReleaseValue(value);
                }
            }

            foreach (var handle in referenced)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static void AddRef(OrtHandle handle, List<OrtHandle> referenced)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        if (added)
        {
            referenced.Add(handle);
        }
    }
}
