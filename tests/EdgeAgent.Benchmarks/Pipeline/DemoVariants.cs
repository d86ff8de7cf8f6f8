using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Onnx.Benchmarking;
using EdgeAgent.Pipeline;
using EdgeAgent.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Benchmarks.Pipeline;

/// <summary>The demo classifier in fp32 and in int8 on the same frames.</summary>
internal sealed record DemoVariantsResult(
    int Frames,
    LatencyStatistics Int8,
    LatencyStatistics Fp32,
    double Int8OverFp32P50,
    double Top1Agreement,
    long Int8Bytes,
    long Fp32Bytes);

/// <summary>
/// Frames of the demo camera (models/demo-camera.lavfi, every test pattern in turn) through both demo models at
/// one intra-op thread, one model after the other on each frame (the order alternating), so their latencies are
/// paired frame by frame and their top-1 labels compared.
/// </summary>
internal static class DemoVariants
{
    public static async Task<DemoVariantsResult> MeasureAsync(OrtEnvironment environment, string modelsDirectory, string cameraGraph, int frames)
    {
        var int8Package = ModelPackage.FindHighest(modelsDirectory, "demo-classifier");
        var fp32Package = ModelPackage.FindHighest(modelsDirectory, "demo-classifier-fp32");
        var options = new InferenceSessionOptions { IntraOpThreads = 1, InterOpThreads = 1, ExecutionMode = ExecutionMode.Sequential };
        using var int8Session = environment.CreateSession(int8Package.ModelPath, options);
        using var fp32Session = environment.CreateSession(fp32Package.ModelPath, options);
        var settings = new CameraSettings { Url = "lavfi:" + cameraGraph, Width = 640, Height = 480, Fps = 10, Realtime = false };
        using var int8 = new ModelRunner(int8Package, int8Session, settings.Geometry, 0f);
        using var fp32 = new ModelRunner(fp32Package, fp32Session, settings.Geometry, 0f);

        await using var source = new CameraSource("demo", settings, new QuietObserver(), NullLogger.Instance, TimeProvider.System);
        source.Start();
        var int8Ms = new List<double>(frames);
        var fp32Ms = new List<double>(frames);
        var agreed = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        for (var i = -20; i < frames; i++)
        {
            var frame = await source.Frames.ReadAsync(timeout.Token);
            try
            {
                var first = i % 2 == 0 ? int8 : fp32;
                var second = first == int8 ? fp32 : int8;
                var a = Run(first, frame);
                var b = Run(second, frame);
                if (i < 0)
                {
                    continue;
                }

                var (int8Result, fp32Result) = first == int8 ? (a, b) : (b, a);
                int8Ms.Add(int8Result.InferMs);
                fp32Ms.Add(fp32Result.InferMs);
                agreed += int8Result.Top1 == fp32Result.Top1 ? 1 : 0;
            }
            finally
            {
                frame.Release();
            }
        }

        var int8Stats = LatencyStatistics.From(int8Ms);
        var fp32Stats = LatencyStatistics.From(fp32Ms);
        return new DemoVariantsResult(
            frames,
            int8Stats,
            fp32Stats,
            int8Stats.P50Ms / fp32Stats.P50Ms,
            (double)agreed / frames,
            new FileInfo(int8Package.ModelPath).Length,
            new FileInfo(fp32Package.ModelPath).Length);
    }

    private static (double InferMs, int Top1) Run(ModelRunner runner, Frame frame)
    {
        var result = runner.Run(frame);
        return (result.InferMs, result.Top[0].Index);
    }
}
