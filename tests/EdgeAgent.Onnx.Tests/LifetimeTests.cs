namespace EdgeAgent.Onnx.Tests;

/// <summary>Release paths: twice, out of order, and while other threads run.</summary>
[Collection(OrtGroup.Name)]
public sealed class LifetimeTests(OrtFixture ort)
{
    [Fact]
    public void Everything_disposes_twice()
    {
        var session = ort.Open(OrtFixture.TestModel("add.onnx"));
        var tensor = OrtTensor.Create(ort.Environment, new float[3].AsMemory(), [1, 3]);
        var binding = session.CreateBinding();

        binding.Dispose();
        binding.Dispose();
        tensor.Dispose();
        tensor.Dispose();
        session.Dispose();
        session.Dispose();
    }

    [Fact]
    public void Bound_tensors_outlive_their_owners_dispose_until_the_binding_lets_go()
    {
        using var session = ort.Open(OrtFixture.TestModel("add.onnx"));
        var input = OrtTensor.Create(ort.Environment, new[] { 1f, 2f, 3f }.AsMemory(), [1, 3]);
        var output = new float[3];
        var outputTensor = OrtTensor.Create(ort.Environment, output.AsMemory(), [1, 3]);
        var binding = session.CreateBinding();
        binding.BindInput("X", input);
        binding.BindOutput("Y", outputTensor);

        input.Dispose();
        outputTensor.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        binding.Run();

        Assert.Equal([3f, 5f, 7f], output);
        Assert.Throws<ObjectDisposedException>(() => input.AsSpan<float>());
        binding.Dispose();
    }

    [Fact]
    public void Session_disposed_before_its_binding_refuses_new_runs_cleanly()
    {
        var session = ort.Open(OrtFixture.TestModel("add.onnx"));
        using var input = OrtTensor.Create(ort.Environment, new float[3].AsMemory(), [1, 3]);
        using var output = OrtTensor.Create(ort.Environment, new float[3].AsMemory(), [1, 3]);
        var binding = session.CreateBinding();
        binding.BindInput("X", input);
        binding.BindOutput("Y", output);

        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => binding.Run());
        Assert.Throws<ObjectDisposedException>(() => session.Run(new Dictionary<string, OrtTensor> { ["X"] = input }));
        binding.Dispose();
    }

    [Fact]
    public void Environment_disposed_before_its_session_lets_the_session_finish()
    {
        var library = OrtLibrary.Load();
        var environment = OrtEnvironment.Create(library);
        var session = environment.CreateSession(OrtFixture.TestModel("add.onnx"));
        using var input = OrtTensor.Create(environment, new[] { 1f, 2f, 3f }.AsMemory(), [1, 3]);

        environment.Dispose();
        var results = session.Run(new Dictionary<string, OrtTensor> { ["X"] = input });

        using (var output = Assert.Single(results))
        {
            Assert.Equal([3f, 5f, 7f], output.AsSpan<float>().ToArray());
        }

        Assert.Throws<ObjectDisposedException>(() => OrtTensor.Create(environment, new float[3].AsMemory(), [1, 3]));
        session.Dispose();
        environment.Dispose();
    }

    [Fact]
    public async Task Disposing_the_session_while_threads_run_never_crashes_and_stops_them()
    {
        var session = ort.Open(OrtFixture.TestModel("add.onnx"));
        using var started = new CountdownEvent(4);
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<string>();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            using var input = OrtTensor.Create(ort.Environment, new[] { 1f, 2f, 3f }.AsMemory(), [1, 3]);
            var output = new float[3];
            using var outputTensor = OrtTensor.Create(ort.Environment, output.AsMemory(), [1, 3]);
            using var binding = session.CreateBinding();
            binding.BindInput("X", input);
            binding.BindOutput("Y", outputTensor);
            started.Signal();
            try
            {
                while (true)
                {
                    binding.Run();
                    Assert.Equal([3f, 5f, 7f], output);
                }
            }
            catch (ObjectDisposedException)
            {
                outcomes.Add("stopped");
            }
        })).ToArray();

        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        session.Dispose();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(4, outcomes.Count);
    }

    [Fact]
    public async Task Disposing_a_binding_stops_its_run_in_flight()
    {
        using var session = ort.Open(OrtFixture.TestModel("slow_loop.onnx"));
        using var iterations = OrtTensor.Create(ort.Environment, new long[] { 1_000_000_000 }.AsMemory(), []);
        using var input = OrtTensor.Create(ort.Environment, new float[256 * 256].AsMemory(), [256, 256]);
        using var output = OrtTensor.Create(ort.Environment, new float[256 * 256].AsMemory(), [256, 256]);
        var binding = session.CreateBinding();
        binding.BindInput("iterations", iterations);
        binding.BindInput("X", input);
        binding.BindOutput("Y", output);
        var run = Task.Run(() => binding.Run());
        await Task.Delay(200);

        binding.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
