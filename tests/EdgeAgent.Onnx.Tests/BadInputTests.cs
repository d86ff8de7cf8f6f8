using EdgeAgent.Testing;

namespace EdgeAgent.Onnx.Tests;

/// <summary>Each bad input gets an exception naming what was wrong, and the next good run still works.</summary>
[Collection(OrtGroup.Name)]
public sealed class BadInputTests(OrtFixture ort)
{
    [Fact]
    public void Missing_model_file_names_the_path()
    {
        var error = Assert.Throws<OrtException>(() => ort.Open("/nonexistent/model.onnx"));

        Assert.Equal(OrtErrorCode.NoSuchFile, error.Code);
        Assert.Contains("/nonexistent/model.onnx", error.Message, StringComparison.Ordinal);
        AssertStillHealthy();
    }

    [Fact]
    public void Truncated_model_bytes_are_refused()
    {
        var bytes = File.ReadAllBytes(TestPaths.Shared("mobilenetv2-int8.onnx"));

        var error = Assert.Throws<OrtException>(() => ort.Environment.CreateSession(bytes.AsMemory(0, bytes.Length / 2)));

        Assert.Equal(OrtErrorCode.InvalidProtobuf, error.Code);
        Assert.Contains("protobuf parsing failed", error.Message, StringComparison.Ordinal);
        Assert.Equal("CreateSessionFromArray", error.Operation);
        AssertStillHealthy();
    }

    [Fact]
    public void Corrupted_model_bytes_are_refused()
    {
        var bytes = File.ReadAllBytes(OrtFixture.TestModel("add.onnx"));
        new Random(7).NextBytes(bytes.AsSpan(8, bytes.Length - 16));

        var error = Assert.ThrowsAny<OrtException>(() => ort.Environment.CreateSession(bytes));

        Assert.NotEqual(OrtErrorCode.Ok, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.NativeMessage));
        AssertStillHealthy();
    }

    [Fact]
    public void Unknown_input_name_lists_the_real_ones()
    {
        using var session = ort.Open(OrtFixture.TestModel("add.onnx"));
        using var tensor = OrtTensor.Create(ort.Environment, new float[3].AsMemory(), [1, 3]);
        using var binding = session.CreateBinding();

        var error = Assert.Throws<ArgumentException>(() => binding.BindInput("nope", tensor));
        Assert.Contains("'nope' is not an input", error.Message, StringComparison.Ordinal);
        Assert.Contains("X", error.Message, StringComparison.Ordinal);

        var runError = Assert.Throws<ArgumentException>(() => session.Run(new Dictionary<string, OrtTensor> { ["nope"] = tensor }));
        Assert.Contains("'nope'", runError.Message, StringComparison.Ordinal);
        AssertStillHealthy();
    }

    [Fact]
    public void Wrong_shape_names_both_shapes()
    {
        using var session = ort.Open(OrtFixture.TestModel("add.onnx"));
        using var tensor = OrtTensor.Create(ort.Environment, new float[4].AsMemory(), [1, 4]);
        using var binding = session.CreateBinding();

        var error = Assert.Throws<ArgumentException>(() => binding.BindInput("X", tensor));

        Assert.Contains("expects shape [1 x 3], got [1 x 4]", error.Message, StringComparison.Ordinal);
        AssertStillHealthy();
    }

    [Fact]
    public void Wrong_element_type_names_both_types()
    {
        using var session = ort.Open(OrtFixture.TestModel("add.onnx"));
        using var tensor = OrtTensor.Create(ort.Environment, new long[3].AsMemory(), [1, 3]);

        var error = Assert.Throws<ArgumentException>(() => session.Run(new Dictionary<string, OrtTensor> { ["X"] = tensor }));

        Assert.Contains("expects float32 elements, got int64", error.Message, StringComparison.Ordinal);
        AssertStillHealthy();
    }

    [Fact]
    public void Buffer_that_does_not_fit_the_shape_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => OrtTensor.Create(ort.Environment, new float[5].AsMemory(), [1, 3]));

        Assert.Contains("holds 3 elements but the buffer holds 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_provider_name_lists_the_known_ones()
    {
        var options = new InferenceSessionOptions { Providers = ["cuda", "tpu9000"] };

        var error = Assert.Throws<ArgumentException>(() => ort.Open(OrtFixture.TestModel("add.onnx"), options));

        Assert.Contains("unknown execution provider 'tpu9000'", error.Message, StringComparison.Ordinal);
        Assert.Contains("xnnpack", error.Message, StringComparison.Ordinal);
        AssertStillHealthy();
    }

    [Fact]
    public void Running_with_an_input_unbound_names_it()
    {
        using var session = ort.Open(OrtFixture.TestModel("add.onnx"));
        using var binding = session.CreateBinding();

        var error = Assert.Throws<InvalidOperationException>(() => binding.Run());

        Assert.Contains("inputs not bound: X", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_ONNX_Runtime_fails_carries_its_message_and_the_binding_recovers()
    {
        // The free dimension lets [1 x 3] pass the binding's checks; ONNX Runtime then finds it cannot hold [2 x 3].
        using var session = ort.Open(OrtFixture.TestModel("identity_float32.onnx"));
        using var input = OrtTensor.Create(ort.Environment, new[] { 1f, 2f, 3f, 4f, 5f, 6f }.AsMemory(), [2, 3]);
        using var tooSmall = OrtTensor.Create(ort.Environment, new float[3].AsMemory(), [1, 3]);
        var output = new float[6];
        using var rightSize = OrtTensor.Create(ort.Environment, output.AsMemory(), [2, 3]);
        using var binding = session.CreateBinding();
        binding.BindInput("X", input);
        binding.BindOutput("Y", tooSmall);

        var error = Assert.Throws<OrtException>(() => binding.Run());
        Assert.Equal("Run", error.Operation);
        Assert.NotEqual(OrtErrorCode.Ok, error.Code);
        Assert.Contains("shape", error.NativeMessage, StringComparison.OrdinalIgnoreCase);

        binding.BindOutput("Y", rightSize);
        binding.Run();
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], output);
        AssertStillHealthy();
    }

    private void AssertStillHealthy()
    {
        using var session = ort.Open(OrtFixture.TestModel("add.onnx"));
        using var input = OrtTensor.Create(ort.Environment, new[] { 1f, 2f, 3f }.AsMemory(), [1, 3]);
        var results = session.Run(new Dictionary<string, OrtTensor> { ["X"] = input });
        using var output = Assert.Single(results);
        Assert.Equal([3f, 5f, 7f], output.AsSpan<float>().ToArray());
    }
}
