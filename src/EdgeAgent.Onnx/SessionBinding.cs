using System.Runtime.InteropServices;
using EdgeAgent.Onnx.Handles;
using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx;

/// <summary>
/// Inputs and outputs bound to one session once, run many times: a steady-state <see cref="Run"/> allocates
/// nothing on the managed heap. One thread runs a binding at a time; other threads use bindings of their own.
/// A bound tensor stays alive (and pinned) while bound, even if its owner disposes it meanwhile.
/// </summary>
public sealed unsafe class SessionBinding : IDisposable
{
    private static readonly Action<object?> s_terminate = static state => ((OrtRunOptionsHandle)state!).TryTerminate();

    private readonly InferenceSession _session;
    private readonly OrtRunOptionsHandle _runOptions;
    private readonly OrtTensor?[] _inputs;
    private readonly OrtTensor?[] _outputs;
    private readonly Lock _gate = new();
    private nint* _inputValues;
    private nint* _outputValues;
    private byte** _outputNames;
    private int _boundInputs;
    private int _boundOutputs;
    private bool _disposed;
    private volatile bool _disposing;

    internal SessionBinding(InferenceSession session)
    {
        _session = session;
        _runOptions = OrtRunOptionsHandle.Create(session.Api);
        _inputs = new OrtTensor?[session.Inputs.Count];
        _outputs = new OrtTensor?[session.Outputs.Count];
        _inputValues = (nint*)NativeMemory.AllocZeroed((nuint)Math.Max(_inputs.Length, 1), (nuint)sizeof(nint));
        _outputValues = (nint*)NativeMemory.AllocZeroed((nuint)Math.Max(_outputs.Length, 1), (nuint)sizeof(nint));
        _outputNames = (byte**)NativeMemory.AllocZeroed((nuint)Math.Max(_outputs.Length, 1), (nuint)sizeof(byte*));
    }

    public InferenceSession Session => _session;

    /// <summary>Binds <paramref name="tensor"/> as the input called <paramref name="name"/>, replacing any before it.</summary>
    /// <exception cref="ArgumentException">No such input, or the tensor's element type or shape does not fit it.</exception>
    public void BindInput(string name, OrtTensor tensor) => BindInput(_session.InputIndex(name), tensor);

    public void BindInput(int index, OrtTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        _session.Validate(_session.Inputs[index], tensor, "input");
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Replace(_inputs, index, tensor, ref _boundInputs);
            _inputValues[index] = tensor.Handle.DangerousGetHandle();
        }
    }

    /// <summary>Binds <paramref name="tensor"/> to receive the output called <paramref name="name"/>; only bound outputs are computed.</summary>
    /// <exception cref="ArgumentException">No such output, or the tensor's element type or shape does not fit it.</exception>
    public void BindOutput(string name, OrtTensor tensor) => BindOutput(_session.OutputIndex(name), tensor);

    public void BindOutput(int index, OrtTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        _session.Validate(_session.Outputs[index], tensor, "output");
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Replace(_outputs, index, tensor, ref _boundOutputs);
            var names = _session.Handle.OutputNames!.Pointers;
            var next = 0;
            for (var i = 0; i < _outputs.Length; i++)
            {
                if (_outputs[i] is { } output)
                {
                    _outputNames[next] = names[i];
                    _outputValues[next] = output.Handle.DangerousGetHandle();
                    next++;
                }
            }
        }
    }

    /// <summary>Runs the session over the bound tensors, writing the bound outputs in place.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the run was stopped.</exception>
    /// <exception cref="OrtException">ONNX Runtime failed the run; the binding stays usable.</exception>
    public void Run(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ObjectDisposedException.ThrowIf(_session.IsDisposed, _session);
            if (_boundInputs != _inputs.Length || _boundOutputs == 0)
            {
                ThrowIncomplete();
            }

            var session = _session.Handle;
            var api = _session.Api;
            var sessionReferenced = false;
            var registration = default(CancellationTokenRegistration);
            try
            {
                session.DangerousAddRef(ref sessionReferenced);
                if (cancellationToken.CanBeCanceled)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    registration = cancellationToken.UnsafeRegister(s_terminate, _runOptions);
                }

                var status = api.Run(
                    session.DangerousGetHandle(),
                    _runOptions.DangerousGetHandle(),
                    session.InputNames!.Pointers,
                    _inputValues,
                    (nuint)_inputs.Length,
                    _outputNames,
                    (nuint)_boundOutputs,
                    _outputValues);
                if (status != 0)
                {
                    registration.Dispose();
                    var exception = OrtStatus.ToException(api, status, "Run");
                    ObjectDisposedException.ThrowIf(_disposing, this);
                    ThrowRunFailed(exception, cancellationToken);
                }
            }
            finally
            {
                registration.Dispose();
                if (cancellationToken.IsCancellationRequested)
                {
                    _runOptions.ClearTerminate();
                }

                if (sessionReferenced)
                {
                    session.DangerousRelease();
                }
            }
        }
    }

    /// <summary>Stops a run in flight, then releases the binding's references; the tensors' owners keep theirs.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposing = true;
        _runOptions.TryTerminate();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            for (var i = 0; i < _inputs.Length; i++)
            {
                _inputs[i]?.Handle.DangerousRelease();
                _inputs[i] = null;
            }

            for (var i = 0; i < _outputs.Length; i++)
            {
                _outputs[i]?.Handle.DangerousRelease();
                _outputs[i] = null;
            }

            NativeMemory.Free(_inputValues);
            NativeMemory.Free(_outputValues);
            NativeMemory.Free(_outputNames);
            _inputValues = null;
            _outputValues = null;
            _outputNames = null;
            _runOptions.Dispose();
        }
    }

    internal static void ThrowRunFailed(OrtException exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the run was cancelled", exception, cancellationToken);
        }

        throw exception;
    }

    private static void Replace(OrtTensor?[] slots, int index, OrtTensor tensor, ref int bound)
    {
        var referenced = false;
        tensor.Handle.DangerousAddRef(ref referenced);
        if (slots[index] is { } previous)
        {
            previous.Handle.DangerousRelease();
        }
        else
        {
            bound++;
        }

        slots[index] = tensor;
    }

    private void ThrowIncomplete()
    {
        var missing = _session.Inputs.Where((_, i) => _inputs[i] is null).Select(n => n.Name).ToArray();
        throw new InvalidOperationException(missing.Length > 0
            ? $"inputs not bound: {string.Join(", ", missing)}"
            : "no output is bound: bind at least one");
    }
}
