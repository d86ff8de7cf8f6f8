using EdgeAgent.Onnx;
using EdgeAgent.Onnx.Benchmarking;

namespace EdgeAgent.Pipeline;

/// <summary>
/// A session's one input and every output as pinned tensors bound once, so that a run allocates nothing: the output
/// shapes come from one trial run on the zeroed input. Owns the tensors and the binding, not the session.
/// </summary>
internal sealed class BoundModel : IDisposable
{
    private readonly SessionBinding _binding;

    public BoundModel(InferenceSession session, TensorElementType inputType, long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(session);
        Input = SessionBuffers.Allocate(session.Environment, inputType, inputShape);
        var outputs = new List<OrtTensor>();
        try
        {
            foreach (var trial in session.Run(new Dictionary<string, OrtTensor> { [session.Inputs[0].Name] = Input }))
            {
                using (trial)
                {
                    outputs.Add(SessionBuffers.Allocate(session.Environment, trial.ElementType, [.. trial.Shape]));
                }
            }

            Outputs = [.. outputs];
            _binding = session.CreateBinding();
            _binding.BindInput(0, Input);
            for (var i = 0; i < Outputs.Length; i++)
            {
                _binding.BindOutput(i, Outputs[i]);
            }
        }
        catch
        {
            foreach (var output in outputs)
            {
                output.Dispose();
            }

            Input.Dispose();
            throw;
        }
    }

    public OrtTensor Input { get; }

    public OrtTensor[] Outputs { get; }

    /// <summary>Runs the session on what <see cref="Input"/> holds, into <see cref="Outputs"/>.</summary>
    public void Run(CancellationToken cancellationToken) => _binding.Run(cancellationToken);

    public void Dispose()
    {
        _binding.Dispose();
        Input.Dispose();
        foreach (var output in Outputs)
        {
            output.Dispose();
        }
    }
}
