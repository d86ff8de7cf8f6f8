using EdgeAgent.Onnx.Benchmarking;
using EdgeAgent.Testing;

namespace EdgeAgent.Onnx.Tests;

/// <summary>Cancellation through RunOptions, and the allocation-free steady state of a binding.</summary>
[Collection(OrtGroup.Name)]
public sealed class RunTests(OrtFixture ort)
{
    [Fact]
    public async Task A_cancelled_binding_run_stops_and_the_next_run_works()
    {
        using var session = ort.Open(OrtFixture.TestModel("slow_loop.onnx"));
        var iterations = new long[] { 1_000_000_000 };
        using var iterationsTensor = OrtTensor.Create(ort.Environment, iterations.AsMemory(), []);
        using var input = OrtTensor.Create(ort.Environment, new float[256 * 256].AsMemory(), [256, 256]);
        using var output = OrtTensor.Create(ort.Environment, new float[256 * 256].AsMemory(), [256, 256]);
        using var binding = session.CreateBinding();
        binding.BindInput("iterations", iterationsTensor);
        binding.BindInput("X", input);
        binding.BindOutput("Y", output);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var run = Task.Run(() => binding.Run(cancellation.Token));

        var error = await Assert.ThrowsAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("terminate flag", error.InnerException!.Message, StringComparison.Ordinal);
        iterations[0] = 2;
        binding.Run(CancellationToken.None);
    }

    [Fact]
    public async Task A_cancelled_session_run_stops()
    {
        using var session = ort.Open(OrtFixture.TestModel("slow_loop.onnx"));
        using var iterations = OrtTensor.Create(ort.Environment, new long[] { 1_000_000_000 }.AsMemory(), []);
        using var input = OrtTensor.Create(ort.Environment, new float[256 * 256].AsMemory(), [256, 256]);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var run = Task.Run(() => session.Run(new Dictionary<string, OrtTensor> { ["iterations"] = iterations, ["X"] = input }, cancellationToken: cancellation.Token));

        await Assert.ThrowsAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void An_already_cancelled_token_runs_nothing()
    {
        using var session = ort.Open(OrtFixture.TestModel("add.onnx"));
        using var buffers = SessionBuffers.Create(session);
        using var binding = session.CreateBinding();
        buffers.BindTo(binding);

        Assert.Throws<OperationCanceledException>(() => binding.Run(new CancellationToken(canceled: true)));
        binding.Run();
    }

    [Theory]
    [InlineData("add.onnx")]
    [InlineData("mobilenetv2-int8.onnx")]
    public void Steady_state_binding_runs_allocate_nothing_managed(string model)
    {
        using var session = ort.Open(model.StartsWith("add", StringComparison.Ordinal) ? OrtFixture.TestModel(model) : TestPaths.Shared(model));
        using var buffers = SessionBuffers.Create(session);
        using var binding = session.CreateBinding();
        buffers.BindTo(binding);
        using var cancellation = new CancellationTokenSource();
        for (var i = 0; i < 20; i++)
        {
            binding.Run(cancellation.Token);
        }

        Assert.Equal(0, Allocations.PerWindow(() => binding.Run(), warmup: 40, repeats: 40));
    }

    [Fact]
    public void Synthetic_buffers_fit_every_shared_model()
    {
        foreach (var model in new[] { "mobilenetv2-int8.onnx", "yolox-nano-fp32.onnx", "ultraface-rfb320-fp32.onnx" })
        {
            using var session = ort.Open(TestPaths.Shared(model));
            using var buffers = SessionBuffers.Create(session, new Dictionary<string, long[]>());
            using var binding = session.CreateBinding();
            buffers.BindTo(binding);
            binding.Run();
            Assert.Equal(session.Outputs.Count, buffers.Outputs.Count);
        }
    }
}
