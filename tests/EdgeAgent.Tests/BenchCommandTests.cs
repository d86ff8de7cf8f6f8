using System.Text.Json;
using EdgeAgent.Testing;

namespace EdgeAgent.Tests;

/// <summary><c>edge-agent bench</c>: the report, the provider fallback, and the exit codes of bad input.</summary>
public sealed class BenchCommandTests
{
    private static readonly string s_classifier = TestPaths.Shared("mobilenetv2-int8.onnx");

    [Fact]
    public async Task Reports_latency_throughput_rss_and_provider()
    {
        var result = await ChildProcess.RunAgentAsync("bench", "--model", s_classifier, "--iterations", "30", "--warmup", "5", "--json");

        Assert.Equal(0, result.ExitCode);
        using var report = JsonDocument.Parse(result.StandardOutput);
        var root = report.RootElement;
        Assert.Equal("cpu", root.GetProperty("provider").GetString());
        Assert.Equal("input: float32 [1 x 3 x 224 x 224]", root.GetProperty("inputs")[0].GetString());
        var latency = root.GetProperty("latency");
        Assert.Equal(30, latency.GetProperty("count").GetInt32());
        var min = latency.GetProperty("min_ms").GetDouble();
        var p50 = latency.GetProperty("p50_ms").GetDouble();
        var p99 = latency.GetProperty("p99_ms").GetDouble();
        var max = latency.GetProperty("max_ms").GetDouble();
        Assert.True(min > 0 && min <= p50 && p50 <= p99 && p99 <= max, $"{min} {p50} {p99} {max}");
        Assert.True(latency.GetProperty("runs_per_second").GetDouble() > 0);
        Assert.True(root.GetProperty("peak_rss_mib").GetDouble() > 10);
    }

    [Fact]
    public async Task Table_output_names_each_figure()
    {
        var result = await ChildProcess.RunAgentAsync("bench", "--model", s_classifier, "--iterations", "10", "--threads", "2", "--shape", "input=2x3x224x224");

        Assert.Equal(0, result.ExitCode);
        foreach (var label in new[] { "provider     cpu", "threads      2 intra-op", "input: float32 [2 x 3 x 224 x 224]", "latency ms   min", "p50", "p90", "p99", "max", "throughput", "peak RSS" })
        {
            Assert.Contains(label, result.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unavailable_provider_falls_back_to_cpu_and_says_why()
    {
        var result = await ChildProcess.RunAgentAsync("bench", "--model", s_classifier, "--provider", "xnnpack", "--provider", "cpu", "--iterations", "5", "--json");

        Assert.Equal(0, result.ExitCode);
        using var report = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("cpu", report.RootElement.GetProperty("provider").GetString());
        Assert.Contains("xnnpack: InvalidArgument: XNNPACK execution provider is not supported in this build.", report.RootElement.GetProperty("provider_failures")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Held_values_let_a_stateful_model_run()
    {
        var result = await ChildProcess.RunAgentAsync("bench", "--model", TestPaths.Shared("silero-vad-v5.onnx"), "--shape", "input=1x576", "--value", "sr=16000", "--iterations", "5");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("sr: int64 []", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--model is required", "bench")]
    [InlineData("--model /nonexistent.onnx: no such file", "bench", "--model", "/nonexistent.onnx")]
    [InlineData("--provider tpu: unknown", "bench", "--model", "MODEL", "--provider", "tpu")]
    [InlineData("--shape input=1x3xbig", "bench", "--model", "MODEL", "--shape", "input=1x3xbig")]
    [InlineData("'nope' is not an input", "bench", "--model", "MODEL", "--shape", "nope=1x3")]
    [InlineData("--threads -1", "bench", "--model", "MODEL", "--threads", "-1")]
    [InlineData("--iterations 0", "bench", "--model", "MODEL", "--iterations", "0")]
    [InlineData("Unrecognized command or argument 'frobnicate'", "frobnicate")]
    public async Task Usage_errors_exit_2_naming_the_option(string expected, params string[] arguments)
    {
        var result = await ChildProcess.RunAgentAsync([.. arguments.Select(a => a == "MODEL" ? s_classifier : a)]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError.Replace("Option '--model' is required", "--model is required", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_model_fails_with_exit_1_and_the_native_reason()
    {
        var corrupt = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(corrupt, (await File.ReadAllBytesAsync(s_classifier))[..5000]);

            var result = await ChildProcess.RunAgentAsync("bench", "--model", corrupt);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"--model {corrupt}", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("InvalidProtobuf", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(corrupt);
        }
    }

    [Fact]
    public async Task Version_prints_the_product_version()
    {
        var result = await ChildProcess.RunAgentAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("0.1.0", result.StandardOutput, StringComparison.Ordinal);
    }
}
