using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Onnx.Benchmarking;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests;

/// <summary>The committed demo anomaly models in ONNX Runtime: every validation sample's reconstruction within its tolerance.</summary>
[Collection(OrtEnvironmentGroup.Name)]
public sealed class DemoAnomalyModelTests(OrtEnvironmentFixture ort)
{
    [Theory]
    [InlineData("demo-anomaly", 5)]
    [InlineData("demo-anomaly-fp32", 5)]
    public void Every_validation_sample_reconstructs_as_the_generator_computed(string model, int samples)
    {
        var package = ModelPackage.FindHighest(Path.Combine(TestPaths.RepositoryRoot, "models"), model);
        using var session = ort.Environment.CreateSession(package.ModelPath);
        using var input = SessionBuffers.Allocate(ort.Environment, TensorElementType.Float32, [1, 64]);
        var validation = package.Descriptor.Validation!;
        Assert.Equal(samples, validation.Samples.Count);
        foreach (var sample in validation.Samples)
        {
            var expected = ReadFloats(Path.Combine(package.Directory, sample.ExpectMaxAbsDiff!.OutputFile));
            ReadFloats(Path.Combine(package.Directory, sample.InputFile)).CopyTo(input.AsSpan<float>());
            var outputs = session.Run(new Dictionary<string, OrtTensor> { ["window"] = input });
            try
            {
                var actual = outputs[0].AsSpan<float>().ToArray();
                var worst = Enumerable.Range(0, expected.Length).Max(i => Math.Abs(actual[i] - expected[i]));
                Assert.True(worst <= sample.ExpectMaxAbsDiff.Tolerance, $"{model} {sample.InputFile}: max abs diff {worst} over {sample.ExpectMaxAbsDiff.Tolerance}");
            }
            finally
            {
                foreach (var output in outputs)
                {
                    output.Dispose();
                }
            }
        }
    }

    private static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
