using System.Text.Json;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Pipeline;
using EdgeAgent.Pipeline.Preprocessing;
using EdgeAgent.Sources;
using EdgeAgent.Testing;
using EdgeAgent.Tests.Configuration;
using EdgeAgent.Tests.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Tests.Pipeline;

/// <summary>Frames from a real ffmpeg source through the agent's preprocessing, the real models and the result writer.</summary>
[Collection(OrtEnvironmentGroup.Name)]
public sealed class StreamPipelineTests(OrtEnvironmentFixture ort) : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    // The espresso photo is not in the video: at stream sizes other than the video's own the int8 MobileNetV2 takes
    // it for consomme (0.58 against 0.16 at 320x240), and at 320x240 the eagle becomes a kite. Those are the model's
    // limits at low resolution, not the camera source's, so the second size is 1280x720.
    private static readonly (string Photo, int[] Classes)[] s_photos =
    [
        ("dog-bicycle-car.jpg", [248, 249, 250]),
        ("goldfish.jpg", [1]),
        ("bald-eagle.jpg", [22]),
        ("cat-chelsea-tabby.png", [281, 282, 283, 284, 285]),
    ];

    private const int FramesPerPhoto = 20;

    private readonly AgentLayout _layout = new();
    private readonly string _video = MakeVideo();

    [Theory]
    [InlineData(640, 480)]
    [InlineData(1280, 720)]
    public async Task A_video_of_the_photos_gives_each_photos_top1_through_the_camera_source(int width, int height)
    {
        var package = ModelPackage.FindHighest(Path.Combine(_layout.Root, "models"), "classifier");
        var sink = new MemorySink();
        // Paced at the video's rate, so that no photo's frames are all replaced by newer ones on a busy machine: the
        // whole test suite on two cores once kept one photo's single second from inference.
        var settings = new CameraSettings { Url = _video, Width = width, Height = height, Fps = 10, Loop = false, Realtime = true };

        var seen = await RunAsync(package, settings, "all", sink, results =>
        {
            var top = results.GetProperty("top")[0];
            var photo = (int)(results.GetProperty("frame").GetProperty("index").GetInt64() / FramesPerPhoto);
            Assert.True(photo < s_photos.Length, $"frame index beyond the video: {results}");
            Assert.True(s_photos[photo].Classes.Contains(top.GetProperty("index").GetInt32()), $"{s_photos[photo].Photo}: {results}");
            return photo;
        });

        Assert.True(s_photos.Length == seen.Distinct().Count(), $"results for photos {string.Join(' ', seen)}");
    }

    [Fact]
    public async Task Results_carry_exactly_the_contract_payload_with_cleaned_labels_and_rising_seq()
    {
        var package = ModelPackage.FindHighest(Path.Combine(_layout.Root, "models"), "classifier");
        var sink = new MemorySink();
        var settings = new CameraSettings { Url = TestPaths.Shared("images", "goldfish.jpg"), Width = 320, Height = 240, Fps = 20 };
        await using var source = new CameraSource("cam0", settings, new RecordingObserver(), NullLogger.Instance, TimeProvider.System);
        using var session = ort.Environment.CreateSession(package.ModelPath);
        using var runner = new ModelRunner(package, session, settings.Geometry, 0f);
        using var writer = new ResultWriter("pi-01", "cam0", package);
        var pipeline = new StreamPipeline("cam0", source, runner, writer, new PublishPolicy("all", 0), new FrameThrottle(0, TimeProvider.System), sink, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        source.Start();
        var running = pipeline.RunAsync(stop.Token);

        var first = sink.Next(s_wait);
        var second = sink.Next(s_wait);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        Assert.Equal(
            ["device", "stream", "seq", "ts", "model", "task", "top", "timing_ms", "frame"],
            first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("pi-01", first.GetProperty("device").GetString());
        Assert.Equal("cam0", first.GetProperty("stream").GetString());
        Assert.Equal(1, first.GetProperty("seq").GetInt64());
        Assert.Equal(2, second.GetProperty("seq").GetInt64());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", first.GetProperty("ts").GetString());
        var model = first.GetProperty("model");
        Assert.Equal("classifier", model.GetProperty("name").GetString());
        Assert.Equal(3, model.GetProperty("version").GetInt32());
        Assert.Equal(package.Sha256, model.GetProperty("sha256").GetString());
        Assert.Equal("classification", first.GetProperty("task").GetString());
        var top = first.GetProperty("top");
        Assert.Equal(3, top.GetArrayLength());
        Assert.Equal("goldfish", top[0].GetProperty("label").GetString());
        Assert.Equal(1, top[0].GetProperty("index").GetInt32());
        Assert.InRange(top[0].GetProperty("score").GetDouble(), 0.5, 1);
        var timing = first.GetProperty("timing_ms");
        Assert.Equal(["pre", "infer", "post", "total"], timing.EnumerateObject().Select(p => p.Name));
        Assert.True(timing.GetProperty("infer").GetDouble() > 0);
        var frame = first.GetProperty("frame");
        Assert.Equal(320, frame.GetProperty("width").GetInt32());
        Assert.Equal(240, frame.GetProperty("height").GetInt32());
        Assert.Equal(0, pipeline.Failed);
    }

    [Fact]
    public void Changes_mode_publishes_only_when_the_leading_class_changes()
    {
        var policy = new PublishPolicy("changes", 0);
        var result = new InferenceResult(1) { TopCount = 1 };

        var published = new List<bool>();
        foreach (var leading in new[] { 3, 3, 5, 5, 5, 3 })
        {
            result.TopBuffer[0] = new(leading, 0.9f);
            published.Add(policy.ShouldPublish(result));
        }

        Assert.Equal([true, false, true, false, false, true], published);
    }

    [Fact]
    public void Detections_mode_publishes_only_what_reaches_min_score_and_none_publishes_nothing()
    {
        var detections = new PublishPolicy("detections", 0.6f);
        var none = new PublishPolicy("none", 0);
        var result = new InferenceResult(1);

        result.SetDetections([new(0, 0.5f, 0, 0, 1, 1)], 0);
        Assert.False(detections.ShouldPublish(result));
        result.SetDetections([new(0, 0.7f, 0, 0, 1, 1)], 0);
        Assert.True(detections.ShouldPublish(result));
        result.SetDetections([], 0);
        Assert.False(detections.ShouldPublish(result));
        Assert.False(none.ShouldPublish(result));
    }

    [Fact]
    public async Task Each_input_slot_keeps_the_frame_prepared_into_it_until_it_is_inferred_and_its_outputs_until_they_are_finished()
    {
        var package = ModelPackage.FindHighest(Path.Combine(_layout.Root, "models"), "classifier");
        using var session = ort.Environment.CreateSession(package.ModelPath, new InferenceSessionOptions { IntraOpThreads = 1 });
        var geometry = new FrameGeometry(640, 480, PixelFormat.Rgb24);
        using var runner = new ModelRunner(package, session, geometry, 0f);
        Assert.Equal(2, runner.Slots);

        // Both prepared before either is inferred, their frames released (back in the pool) at once.
        var goldfish = await OneFrameAsync("goldfish.jpg");
        runner.Prepare(goldfish, 0);
        goldfish.Release();
        var eagle = await OneFrameAsync("bald-eagle.jpg");
        runner.Prepare(eagle, 1);
        eagle.Release();

        // And each keeps its outputs until it is finished, the other inferred meanwhile.
        runner.Infer(1);
        runner.Infer(0);
        Assert.Equal(22, runner.Finish(1).Top[0].Index);
        Assert.Equal(1, runner.Finish(0).Top[0].Index);
        runner.Infer(1);
        Assert.Equal(22, runner.Finish(1).Top[0].Index);
    }

    [Fact]
    public async Task A_camera_frame_goes_back_to_its_pool_only_once_the_frame_prepared_from_it_is_handed_to_inference()
    {
        var package = ModelPackage.FindHighest(Path.Combine(_layout.Root, "models"), "classifier");
        using var session = ort.Environment.CreateSession(package.ModelPath, new InferenceSessionOptions { IntraOpThreads = 1 });
        var serving = new ServingModel(new ModelRunner(package, session, new FrameGeometry(640, 480, PixelFormat.Rgb24), 0f), new ResultWriter("pi-01", "video", package));
        try
        {
            using var prepared = new PreparedFrames(serving.Runner.Slots, static _ => { }, CancellationToken.None);
            var queuedAtReturn = new List<int>();
            var pool = new FramePool(640 * 480 * 3, () => queuedAtReturn.Add(prepared.Queued));
            var photo = await OneFrameAsync("goldfish.jpg");
            var frame = pool.Rent();
            photo.Buffer.CopyTo(frame.Buffer);
            photo.Release();

            StreamPipeline.HandOver(prepared, serving, frame, 0);

            Assert.Equal([1], queuedAtReturn);
            Assert.True(prepared.Take(out var item));
            serving.Runner.Infer(item.Slot);
            Assert.Equal(1, serving.Runner.Finish(item.Slot).Top[0].Index);
        }
        finally
        {
            serving.Release();
        }
    }

    [Fact]
    public void The_throttle_admits_at_most_max_fps_on_a_steady_schedule()
    {
        var time = new ManualTimeProvider();
        var throttle = new FrameThrottle(2, time);

        var admitted = 0;
        for (var i = 0; i < 100; i++)
        {
            admitted += throttle.Admit() ? 1 : 0;
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(20, admitted);
    }

    public void Dispose()
    {
        _layout.Dispose();
        File.Delete(_video);
    }

    private async Task<List<int>> RunAsync(ModelPackage package, CameraSettings settings, string publish, MemorySink sink, Func<JsonElement, int> check)
    {
        var observer = new RecordingObserver();
        await using var source = new CameraSource("video", settings, observer, NullLogger.Instance, TimeProvider.System);
        using var session = ort.Environment.CreateSession(package.ModelPath, new InferenceSessionOptions { IntraOpThreads = 1 });
        using var runner = new ModelRunner(package, session, settings.Geometry, 0f);
        using var writer = new ResultWriter("pi-01", "video", package);
        var pipeline = new StreamPipeline("video", source, runner, writer, new PublishPolicy(publish, 0), new FrameThrottle(0, TimeProvider.System), sink, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        source.Start();
        var running = pipeline.RunAsync(stop.Token);

        // The video ends and ffmpeg exits: the source reports the loss, by which time every frame has been read.
        var seen = new List<int>();
        while (seen.Count == 0 || seen[^1] < s_photos.Length - 1)
        {
            seen.Add(check(sink.Next(s_wait)));
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        return seen;
    }

    private static async Task<Frame> OneFrameAsync(string photo)
    {
        var settings = new CameraSettings { Url = TestPaths.Shared("images", photo), Width = 640, Height = 480, Fps = 10 };
        await using var source = new CameraSource("photo", settings, new RecordingObserver(), NullLogger.Instance, TimeProvider.System);
        source.Start();
        return await source.Frames.ReadAsync().AsTask().WaitAsync(s_wait);
    }

    /// <summary>An MJPEG video of the photos, two seconds each at 10 fps, letterboxed to 640x480.</summary>
    private static string MakeVideo()
    {
        var video = Path.Combine(Path.GetTempPath(), $"edge-agent-photos-{Guid.NewGuid():N}.mkv");
        var arguments = new List<string> { "-hide_banner", "-loglevel", "error" };
        foreach (var (photo, _) in s_photos)
        {
            arguments.AddRange(["-loop", "1", "-framerate", "10", "-t", "2", "-i", TestPaths.Shared("images", photo)]);
        }

        var filters = string.Concat(s_photos.Select((_, i) => $"[{i}:v]scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p[v{i}];"));
        filters += string.Concat(s_photos.Select((_, i) => $"[v{i}]")) + $"concat=n={s_photos.Length}:v=1:a=0[out]";
        arguments.AddRange(["-filter_complex", filters, "-map", "[out]", "-c:v", "mjpeg", "-q:v", "2", video]);
        var result = ChildProcess.RunAsync("ffmpeg", arguments, TimeSpan.FromMinutes(1)).GetAwaiter().GetResult();
        Assert.True(result.ExitCode == 0, result.StandardError);
        return video;
    }
}
