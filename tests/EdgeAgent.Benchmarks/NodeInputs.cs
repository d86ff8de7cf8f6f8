using EdgeAgent.Onnx;
using EdgeAgent.Onnx.Benchmarking;

namespace EdgeAgent.Benchmarks;

/// <summary>The bytes of our bound input tensors, as the Node peer's open request carries them.</summary>
internal static unsafe class NodeInputs
{
    public static IReadOnlyList<NodeInput> From(InferenceSession session, SessionBuffers buffers) =>
    [
        .. session.Inputs.Select((input, i) =>
        {
            var tensor = buffers.Inputs[i];
            var bytes = new ReadOnlySpan<byte>(tensor.Data, checked((int)(tensor.ElementCount * tensor.ElementType.SizeOf())));
            return new NodeInput(input.Name, tensor.ElementType.ToName(), [.. tensor.Shape], Convert.ToBase64String(bytes));
        }),
    ];
}
