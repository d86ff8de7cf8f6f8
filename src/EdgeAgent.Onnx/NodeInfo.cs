namespace EdgeAgent.Onnx;

/// <summary>What the model declares about one input or output.</summary>
/// <param name="Name">The graph's name for it.</param>
/// <param name="IsTensor">False for sequences, maps and other non-tensor values.</param>
/// <param name="ElementType">The element type, for a tensor.</param>
/// <param name="Shape">Dimensions; -1 where the model leaves one free.</param>
/// <param name="SymbolicShape">Each dimension's symbolic name ("batch_size"), or empty where it has none.</param>
public sealed record NodeInfo(string Name, bool IsTensor, TensorElementType ElementType, IReadOnlyList<long> Shape, IReadOnlyList<string> SymbolicShape)
{
    /// <summary>The shape as people write it: <c>batch_size x 3 x 224 x 224</c>, <c>? x 10</c> for an unnamed free dimension, <c>scalar</c>.</summary>
    public string ShapeText => Shape.Count == 0
        ? "scalar"
        : string.Join(" x ", Shape.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : SymbolicShape[i].Length > 0 ? SymbolicShape[i] : "?"));

    public override string ToString() => $"{Name}: {(IsTensor ? ElementType.ToName() : "non-tensor")} [{ShapeText}]";
}
