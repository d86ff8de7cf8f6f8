using Microsoft.Extensions.Logging;

namespace EdgeAgent.Onnx.Tests;

/// <summary>Providers by name in the caller's order, each failure kept with ONNX Runtime's reason, CPU as the last resort.</summary>
[Collection(OrtGroup.Name)]
public sealed class ProviderTests(OrtFixture ort)
{
    [Fact]
    public void The_library_lists_cpu()
    {
        Assert.Contains("CPUExecutionProvider", ort.Environment.AvailableProviders);
    }

    [Fact]
    public void Every_unavailable_provider_falls_back_to_cpu_with_its_reason()
    {
        var options = new InferenceSessionOptions { IntraOpThreads = 1, Providers = ["tensorrt", "cuda", "xnnpack", "acl", "openvino", "cpu"] };

        using var session = ort.Open(OrtFixture.TestModel("add.onnx"), options);

        var selection = session.Providers;
        Assert.Equal(["tensorrt", "cuda", "xnnpack", "acl", "openvino", "cpu"], selection.Requested);
        Assert.Equal("cpu", selection.Chosen);
        Assert.Empty(selection.Appended);
        Assert.Equal(["tensorrt", "cuda", "xnnpack", "acl", "openvino"], selection.Failures.Select(f => f.Provider));
        var reasons = selection.Failures.ToDictionary(f => f.Provider, f => f.Reason);
        Assert.Contains("XNNPACK execution provider is not supported in this build", reasons["xnnpack"], StringComparison.Ordinal);
        Assert.Contains("OpenVINO execution provider is not supported in this build", reasons["openvino"], StringComparison.Ordinal);
        Assert.Contains("does not export OrtSessionOptionsAppendExecutionProvider_ACL", reasons["acl"], StringComparison.Ordinal);
        Assert.Contains("shared library", reasons["cuda"], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("shared library", reasons["tensorrt"], StringComparison.OrdinalIgnoreCase);
        AssertRuns(session);
    }

    [Fact]
    public void Cuda_listed_by_the_x64_build_still_falls_back_without_its_provider_library()
    {
        if (System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64)
        {
            Assert.Contains("CUDAExecutionProvider", ort.Environment.AvailableProviders);
        }

        using var session = ort.Open(OrtFixture.TestModel("add.onnx"), new InferenceSessionOptions { Providers = ["cuda"] });

        Assert.Equal("cpu", session.Providers.Chosen);
        Assert.Equal("cuda", Assert.Single(session.Providers.Failures).Provider);
    }

    [Fact]
    public void Names_after_cpu_are_not_tried()
    {
        using var session = ort.Open(OrtFixture.TestModel("add.onnx"), new InferenceSessionOptions { Providers = ["cpu", "cuda"] });

        Assert.Equal("cpu", session.Providers.Chosen);
        Assert.Empty(session.Providers.Failures);
    }

    [Fact]
    public void Probe_reports_each_known_provider()
    {
        var probes = ExecutionProviders.Probe(ort.Environment);

        Assert.Equal(ExecutionProviders.Known, probes.Select(p => p.Name));
        Assert.True(probes.Single(p => p.Name == "cpu").Usable);
        Assert.True(probes.Single(p => p.Name == "cpu").ListedByLibrary);
        Assert.False(probes.Single(p => p.Name == "xnnpack").Usable);
        Assert.False(probes.Single(p => p.Name == "xnnpack").ListedByLibrary);
    }

    [Fact]
    public void Onnx_runtime_log_lines_reach_the_logger()
    {
        // A failed CUDA append is logged by ONNX Runtime itself, at error level, through the custom logger.
        using var session = ort.Open(OrtFixture.TestModel("add.onnx"), new InferenceSessionOptions { Providers = ["cuda"] });

        Assert.Contains(ort.Log, line => line.Category == "EdgeAgent.Onnx.Native" && line.Message.StartsWith("[onnxruntime", StringComparison.Ordinal));
        Assert.Contains(ort.Log, line => line.Category == "EdgeAgent.Onnx" && line.Level == LogLevel.Warning && line.Message.Contains("cuda is not used", StringComparison.Ordinal));
    }

    private void AssertRuns(InferenceSession session)
    {
        using var input = OrtTensor.Create(ort.Environment, new[] { 1f, 2f, 3f }.AsMemory(), [1, 3]);
        using var output = Assert.Single(session.Run(new Dictionary<string, OrtTensor> { ["X"] = input }));
        Assert.Equal([3f, 5f, 7f], output.AsSpan<float>().ToArray());
    }
}
