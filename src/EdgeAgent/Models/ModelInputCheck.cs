using EdgeAgent.Onnx;
using EdgeAgent.Protocol;

namespace EdgeAgent.Models;

/// <summary>Whether a model's declared input agrees with its descriptor (an image or a sensor window); the problem names both sides.</summary>
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

        if (IsWindow(input) && (input.Window is null || input.Channels is null))
        {
            return $"model.json's {input.Layout} input must give its window and channels";
        }

        var expected = TensorShape(input);
        var described = IsWindow(input)
            ? $"model.json says {input.Dtype} {input.Layout} windows of {input.Window} sample(s) of {input.Channels} channel(s)"
            : $"model.json says {input.Dtype} {input.Layout} {expected[input.Layout == "NHWC" ? 3 : 1]}x{input.Height}x{input.Width}";
        var typeMatches = node.ElementType.ToName() == input.Dtype;
        var shapeMatches = node.Shape.Count == expected.Length && Enumerable.Range(1, expected.Length - 1).All(d => node.Shape[d] < 0 || node.Shape[d] == expected[d]);
        return typeMatches && shapeMatches
            ? null
            : $"the model's input '{node.Name}' is {node.ElementType.ToName()} [{node.ShapeText}] but {described}";
    }

    /// <summary>
    /// The input tensor's shape for one item: NCHW or NHWC for an image, <c>[1, T x C]</c> (NC) or <c>[1, T, C]</c>
    /// (NTC) for a sensor window whose window and channels the descriptor gives.
    /// </summary>
    public static long[] TensorShape(InputDescriptor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var channels = input.Color == "gray" ? 1 : 3;
        return input.Layout switch
        {
            "NC" => [1, (long)(input.Window ?? 0) * (input.Channels ?? 0)],
            "NTC" => [1, input.Window ?? 0, input.Channels ?? 0],
            "NHWC" => [1, input.Height, input.Width, channels],
            _ => [1, channels, input.Height, input.Width],
        };
    }

    private static bool IsWindow(InputDescriptor input) => input.Layout is "NC" or "NTC";
}
