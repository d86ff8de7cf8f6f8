using System.Text.Json;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests;

/// <summary><c>edge-agent providers</c> against the pinned library and the older one the reference also pins.</summary>
public sealed class ProvidersCommandTests
{
    [Fact]
    public async Task Shows_version_api_library_and_each_provider()
    {
        var result = await ChildProcess.RunAgentAsync("providers");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("ONNX Runtime  1.30.0", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("API version   12 requested (the library offers up to 30)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("libonnxruntime.so.1", result.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^cpu\s+yes\s+yes", result.StandardOutput);
        Assert.Matches(@"(?m)^xnnpack\s+no\s+no\s+InvalidArgument: XNNPACK execution provider is not supported in this build\.", result.StandardOutput);
    }

    [Fact]
    public async Task Json_lists_every_known_provider_with_its_reason()
    {
        var result = await ChildProcess.RunAgentAsync("providers", "--json");

        Assert.Equal(0, result.ExitCode);
        using var report = JsonDocument.Parse(result.StandardOutput);
        var root = report.RootElement;
        Assert.Equal("1.30.0", root.GetProperty("version").GetString());
        Assert.Equal(12, root.GetProperty("api_version").GetInt32());
        var providers = root.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal(["cuda", "tensorrt", "xnnpack", "acl", "openvino", "cpu"], providers.Keys);
        Assert.True(providers["cpu"].GetProperty("usable").GetBoolean());
        Assert.False(providers["cuda"].GetProperty("usable").GetBoolean());
        Assert.Contains("Failed to load shared library", providers["cuda"].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loads_the_older_pinned_library_at_the_api_floor()
    {
        var library = TestPaths.OrtLibrary("1.23.2");

        var providers = await ChildProcess.RunAgentAsync("providers", "--json", "--library", library);
        var bench = await ChildProcess.RunAgentAsync("bench", "--model", Path.Combine(TestPaths.TestModels, "add.onnx"), "--library", library, "--iterations", "5", "--json");

        Assert.Equal(0, providers.ExitCode);
        using var report = JsonDocument.Parse(providers.StandardOutput);
        Assert.Equal("1.23.2", report.RootElement.GetProperty("version").GetString());
        Assert.Equal(23, report.RootElement.GetProperty("library_api_version").GetInt32());
        Assert.EndsWith(Path.Combine(".ort", "1.23.2"), Path.GetDirectoryName(Path.GetDirectoryName(report.RootElement.GetProperty("library").GetString())), StringComparison.Ordinal);
        Assert.Equal(0, bench.ExitCode);
        using var benchReport = JsonDocument.Parse(bench.StandardOutput);
        Assert.Equal("1.23.2", benchReport.RootElement.GetProperty("onnx_runtime").GetString());
    }

    [Fact]
    public async Task A_library_path_that_does_not_exist_is_a_usage_error_naming_it()
    {
        var result = await ChildProcess.RunAgentAsync("providers", "--library", "/nonexistent/libonnxruntime.so.1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--library /nonexistent/libonnxruntime.so.1", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("no such file", result.StandardError, StringComparison.Ordinal);
    }
}
