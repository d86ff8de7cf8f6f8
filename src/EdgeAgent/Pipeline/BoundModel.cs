using EdgeAgent.Onnx;
using EdgeAgent.Onnx.Benchmarking;

namespace EdgeAgent.Pipeline;

/// <summary>
/// A session's one input and every output as pinned tensors bound once, so that a run allocates nothing: the output
/// shapes come from one trial run on the zeroed input, or from another BoundModel of the same session. Owns the
/// tensors and the binding, not the session.
/// </summary>
internal sealed class BoundModel : IDisposable
{
    private readonly SessionBinding _binding;

    public BoundModel(InferenceSession session, TensorElementType inputType, long[] inputShape)
        : this(session, SessionBuffers.Allocate(session.Environment, inputType, inputShape), TrialOutputs)
    {
    }

    /// <summary>Another binding with tensors of the same types and shapes as <paramref name="like"/>'s, with no trial run.</summary>
    public BoundModel(InferenceSession session, BoundModel like)
        : this(session, SessionBuffers.Allocate(session.Environment, like.Input.ElementType, [.. like.Input.Shape]), (_, _, outputs) =>
        {
            foreach (var output in like.Outputs)
            {
                outputs.Add(SessionBuffers.Allocate(session.Environment, output.ElementType, [.. output.Shape]));
            }
        })
    {
    }

    /// <summary>Owns <paramref name="input"/> from here on, disposing it if the outputs or the binding fail.</summary>
    private BoundModel(InferenceSession session, OrtTensor input, Action<InferenceSession, OrtTensor, List<OrtTensor>> allocateOutputs)
    {
        Input = input;
        var outputs = new List<OrtTensor>();
        try
        {
            allocateOutputs(session, input, outputs);
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

    private static void TrialOutputs(InferenceSession session, OrtTensor input, List<OrtTensor> outputs)
    {
        foreach (var trial in session.Run(new Dictionary<string, OrtTensor> { [session.Inputs[0].Name] = input }))
        {
            using (trial)
            {
                outputs.Add(SessionBuffers.Allocate(session.Environment, trial.ElementType, [.. trial.Shape]));
            }
        }
    }

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
