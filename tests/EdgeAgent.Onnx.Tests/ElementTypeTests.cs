namespace EdgeAgent.Onnx.Tests;

/// <summary>Every element type the binding creates tensors of round-trips through an Identity model.</summary>
[Collection(OrtGroup.Name)]
public sealed class ElementTypeTests(OrtFixture ort)
{
    [Fact]
    public void Float32_round_trips() => RoundTrip("float32", [1.5f, -2.25f, 0f, float.MaxValue, float.Epsilon, -0f]);

    [Fact]
    public void Float16_round_trips() => RoundTrip("float16", [(Half)1.5, (Half)(-2.25), Half.Zero, Half.MaxValue, Half.Epsilon, (Half)0.1]);

    [Fact]
    public void UInt8_round_trips() => RoundTrip("uint8", new byte[] { 0, 1, 127, 128, 254, 255 });

    [Fact]
    public void Int8_round_trips() => RoundTrip("int8", new sbyte[] { -128, -1, 0, 1, 126, 127 });

    [Fact]
    public void Int32_round_trips() => RoundTrip("int32", [int.MinValue, -1, 0, 1, 65536, int.MaxValue]);

    [Fact]
    public void Int64_round_trips() => RoundTrip("int64", [long.MinValue, -1L, 0L, 1L, 1L << 40, long.MaxValue]);

    [Fact]
    public void Bool_round_trips() => RoundTrip("bool", [true, false, false, true, true, false]);

    private void RoundTrip<T>(string type, T[] values)
        where T : unmanaged
    {
        using var session = ort.Open(OrtFixture.TestModel($"identity_{type}.onnx"));
        var expectedType = TensorElementTypes.Of<T>();
        Assert.Equal(expectedType, session.Inputs[0].ElementType);
        Assert.Equal(type, session.Inputs[0].ElementType.ToName());
        Assert.Equal("n x 3", session.Inputs[0].ShapeText);

        // Through a binding, into a caller-owned output buffer.
        var output = new T[values.Length];
        using var input = OrtTensor.Create(ort.Environment, values.AsMemory(), [2, 3]);
        using var outputTensor = OrtTensor.Create(ort.Environment, output.AsMemory(), [2, 3]);
        using var binding = session.CreateBinding();
        binding.BindInput("X", input);
        binding.BindOutput("Y", outputTensor);
        binding.Run();
        Assert.Equal(values, output);

        // Through Run, into an output ONNX Runtime allocates.
        var results = session.Run(new Dictionary<string, OrtTensor> { ["X"] = input });
        using var result = Assert.Single(results);
        Assert.Equal(expectedType, result.ElementType);
        Assert.Equal([2L, 3L], result.Shape);
        Assert.Equal(values, result.AsSpan<T>().ToArray());
    }
}
