using EdgeAgent.Testing;

namespace EdgeAgent.Onnx.Tests;

/// <summary>Session options: the optimised-graph cache, threads and modes, and validation.</summary>
[Collection(OrtGroup.Name)]
public sealed class SessionOptionsTests(OrtFixture ort) : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("edge-agent-ort-cache-").FullName;

    [Fact]
    public void The_optimised_graph_is_cached_and_a_second_open_skips_optimisation()
    {
        var options = new InferenceSessionOptions { IntraOpThreads = 1, OptimizedModelCacheDirectory = _cache };
        var model = TestPaths.Shared("mobilenetv2-int8.onnx");
        float[] first, second;

        using (var session = ort.Open(model, options))
        {
            Assert.False(session.OptimizedModelFromCache);
            Assert.NotNull(session.OptimizedModelCachePath);
            Assert.True(File.Exists(session.OptimizedModelCachePath));
            Assert.Contains(".cpu.ort-1.30.0.all.onnx", session.OptimizedModelCachePath, StringComparison.Ordinal);
            first = Classify(session);
        }

        using (var session = ort.Open(model, options))
        {
            Assert.True(session.OptimizedModelFromCache);
            second = Classify(session);
        }

        Assert.Equal(first, second);
        Assert.Single(Directory.GetFiles(_cache));
    }

    [Fact]
    public void A_corrupt_cache_file_is_discarded_and_rewritten()
    {
        var options = new InferenceSessionOptions { OptimizedModelCacheDirectory = _cache };
        string cachePath;
        using (var session = ort.Open(OrtFixture.TestModel("add.onnx"), options))
        {
            cachePath = session.OptimizedModelCachePath!;
        }

        File.WriteAllBytes(cachePath, [1, 2, 3]);

        using var reopened = ort.Open(OrtFixture.TestModel("add.onnx"), options);
        Assert.False(reopened.OptimizedModelFromCache);
        Assert.True(new FileInfo(cachePath).Length > 3);
    }

    [Theory]
    [InlineData(GraphOptimizationLevel.None, ExecutionMode.Sequential, false, false)]
    [InlineData(GraphOptimizationLevel.Basic, ExecutionMode.Parallel, true, true)]
    [InlineData(GraphOptimizationLevel.Extended, ExecutionMode.Sequential, true, false)]
    [InlineData(GraphOptimizationLevel.All, ExecutionMode.Parallel, false, true)]
    public void Every_combination_of_settings_opens_and_gives_the_same_answer(GraphOptimizationLevel level, ExecutionMode mode, bool arena, bool memoryPattern)
    {
        var options = new InferenceSessionOptions
        {
            IntraOpThreads = 2,
            InterOpThreads = 2,
            OptimizationLevel = level,
            ExecutionMode = mode,
            EnableCpuMemoryArena = arena,
            EnableMemoryPattern = memoryPattern,
            AllowSpinning = false,
        };

        using var session = ort.Open(TestPaths.Shared("mobilenetv2-int8.onnx"), options);

        var logits = Classify(session);
        Assert.Equal(967, Array.IndexOf(logits, logits.Max()));
    }

    [Fact]
    public void Session_from_bytes_matches_session_from_path()
    {
        var path = TestPaths.Shared("mobilenetv2-int8.onnx");
        using var fromPath = ort.Open(path);
        using var fromBytes = ort.Environment.CreateSession(File.ReadAllBytes(path), new InferenceSessionOptions { IntraOpThreads = 1 });

        Assert.Equal(fromPath.Inputs, fromBytes.Inputs, (a, b) => a.ToString() == b.ToString());
        Assert.Equal(Classify(fromPath), Classify(fromBytes));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -2)]
    public void Negative_thread_counts_are_refused_by_name(int intra, int inter)
    {
        var options = new InferenceSessionOptions { IntraOpThreads = intra, InterOpThreads = inter };

        var error = Assert.Throws<ArgumentException>(() => ort.Open(OrtFixture.TestModel("add.onnx"), options));

        Assert.Contains(intra < 0 ? "IntraOpThreads" : "InterOpThreads", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private float[] Classify(InferenceSession session) =>
        ClassifierTests.Logits(ort.Environment, session, ClassifierTests.Preprocess(TestPaths.Shared("images", "coffee-espresso.png")));
}
