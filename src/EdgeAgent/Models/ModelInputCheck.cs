using EdgeAgent.Onnx;
using EdgeAgent.Protocol;

namespace EdgeAgent.Models;

/// <summary>Whether a model's declared input agrees with its descriptor; the problem names both sides.</summary>
public static class ModelInputCheck
{
    /// <summary>Null when they agree, else what disagrees.</summary>
    public static string? Problem(InputDescriptor input, IReadOnlyList<NodeInfo> inputs)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(inputs);
        var node = input.Name is null ? (inputs.Count > 0 ? inputs[0] : null) : inputs.FirstOrDefault(n => n.Name == input.Name);
        if (node is null)
        {
            return $"model.json names input '{input.Name}', but the model's inputs are: {string.Join(", ", inputs.Select(n => n.Name))}";
        }

        var channels = input.Color == "gray" ? 1 : 3;
        long[] expected = input.Layout == "NHWC" ? [-1, input.Height, input.Width, channels] : [-1, channels, input.Height, input.Width];
        var described = $"model.json says {input.Dtype} {input.Layout} {channels}x{input.Height}x{input.Width}";
        var typeMatches = node.ElementType.ToName() == input.Dtype;
        var shapeMatches = node.Shape.Count == 4 && Enumerable.Range(1, 3).All(d => node.Shape[d] < 0 || node.Shape[d] == expected[d]);
        return typeMatches && shapeMatches
            ? null
            : $"the model's input '{node.Name}' is {node.ElementType.ToName()} [{node.ShapeText}] but {described}";
    }
}
