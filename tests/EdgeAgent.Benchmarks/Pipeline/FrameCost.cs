using System.Diagnostics;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Onnx.Benchmarking;
using EdgeAgent.Pipeline;
using EdgeAgent.Pipeline.Postprocessing;
using EdgeAgent.Pipeline.Preprocessing;
using EdgeAgent.Sources;

namespace EdgeAgent.Benchmarks.Pipeline;

/// <summary>
/// Microseconds per frame of each step outside inference (medians of blocks), and managed bytes per frame; the
/// preprocessing of a yuv420p frame beside that of the rgb24 one.
/// </summary>
internal sealed record FrameCostResult(int Frames, double PreUs, double PostUs, double WriteUs, double TotalUs, double YuvPreUs, double YuvTotalUs, double BytesPerFrame);

/// <summary>
/// What the agent does to a 640x480 rgb24 frame besides inference, on a real testsrc frame and the classifier's
/// real output: resize and normalise into the 224x224 tensor, softmax and top-k, and the result JSON handed to a sink.
/// And the same frame in yuv420p, as <c>exec</c> sources such as rpicam-vid deliver it, resized and normalised in the
/// same blocks.
/// </summary>
internal static class FrameCost
{
    public static async Task<FrameCostResult> MeasureAsync(ModelPackage package, InferenceSession session, int blocks, int framesPerBlock)
    {
        var geometry = new FrameGeometry(640, 480, PixelFormat.Rgb24);
        var frame = await GrabFrameAsync(geometry);
        var input = package.Descriptor.Input;
        var preprocessor = ImagePreprocessor.Create(input, geometry);
        var yuvGeometry = geometry with { Format = PixelFormat.Yuv420p };
        var yuvFrame = await GrabFrameAsync(yuvGeometry);
        var yuvPreprocessor = ImagePreprocessor.Create(input, yuvGeometry);
        var tensor = new float[3 * input.Width * input.Height];

        // One real inference for the scores postprocessing reads.
        using var runner = new ModelRunner(package, session, geometry, 0f);
        var result = runner.Result;
        var scores = runner.Outputs[0].AsSpan<float>().ToArray();
        var classifier = new Classifier(package.Descriptor.Postprocess.Softmax, package.Descriptor.Postprocess.TopK);
        using var writer = new ResultWriter("bench", "bench", package);
        using var sink = new CountingSink();

        var pre = new double[blocks];
        var yuvPre = new double[blocks];
        var post = new double[blocks];
        var write = new double[blocks];
        long allocated = 0;
        for (var block = -1; block < blocks; block++)
        {
            long preTicks = 0, postTicks = 0, writeTicks = 0, yuvTicks = 0;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < framesPerBlock; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                preprocessor.Run(frame, tensor.AsSpan());
                var t1 = Stopwatch.GetTimestamp();
                result.TopCount = classifier.Run(scores, result.TopBuffer);
                var t2 = Stopwatch.GetTimestamp();
                var seq = sink.NextSeq("bench");
                sink.Enqueue("bench", seq, writer.Write(seq, result, geometry.Width, geometry.Height).Span);
                var t3 = Stopwatch.GetTimestamp();
                yuvPreprocessor.Run(yuvFrame, tensor.AsSpan());
                yuvTicks += Stopwatch.GetTimestamp() - t3;
                preTicks += t1 - t0;
                postTicks += t2 - t1;
                writeTicks += t3 - t2;
            }

            // Block -1 warms the JIT and is not counted.
            if (block >= 0)
            {
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                pre[block] = Microseconds(preTicks) / framesPerBlock;
                yuvPre[block] = Microseconds(yuvTicks) / framesPerBlock;
                post[block] = Microseconds(postTicks) / framesPerBlock;
                write[block] = Microseconds(writeTicks) / framesPerBlock;
            }
        }

        var (p, q, w, y) = (Median(pre), Median(post), Median(write), Median(yuvPre));
        return new FrameCostResult(blocks * framesPerBlock, p, q, w, p + q + w, y, y + q + w, (double)allocated / (blocks * framesPerBlock));
    }

    private static double Microseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    private static double Median(double[] values) => LatencyStatistics.Percentile([.. values.Order()], 0.5);

    private static async Task<byte[]> GrabFrameAsync(FrameGeometry geometry)
    {
        var settings = new CameraSettings { Url = "testsrc", Width = geometry.Width, Height = geometry.Height, PixelFormat = geometry.Format, Realtime = false };
        await using var source = new CameraSource("grab", settings, new QuietObserver(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System);
        source.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var taken = await source.Frames.ReadAsync(timeout.Token);
        var bytes = taken.Buffer.AsSpan(0, geometry.ByteCount).ToArray();
        taken.Release();
        return bytes;
    }
}
