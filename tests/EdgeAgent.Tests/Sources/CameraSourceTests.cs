using System.Diagnostics;
using EdgeAgent.Pipeline.Preprocessing;
using EdgeAgent.Sources;
using EdgeAgent.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Tests.Sources;

/// <summary>Camera and exec sources against the real ffmpeg: frames, loss, stall, restart with backoff, clean stop.</summary>
public sealed class CameraSourceTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_lavfi_test_pattern_delivers_frames_of_the_stream_size_from_a_small_pool()
    {
        var settings = new CameraSettings { Url = "testsrc", Width = 160, Height = 120, Fps = 50 };
        await using var source = Start(settings, new RecordingObserver());

        var indexes = new List<long>();
        while (indexes.Count < 30)
        {
            var frame = await source.Frames.ReadAsync().AsTask().WaitAsync(s_wait);
            Assert.Equal(160 * 120 * 3, frame.Buffer.Length);
            indexes.Add(frame.Index);
            frame.Release();
        }

        Assert.Equal(indexes.Order(), indexes);
        Assert.Equal(SourceState.Running, source.State);
        Assert.Equal(3, source.FramesAllocated);
    }

    [Fact]
    public async Task An_unpaced_pattern_waits_for_the_pipeline_and_drops_nothing_while_a_paced_one_keeps_its_pace()
    {
        var unpaced = new CameraSettings { Url = "testsrc", Width = 64, Height = 48, Fps = 200, Realtime = false };
        var paced = unpaced with { Realtime = true };
        await using var lossless = Start(unpaced, new RecordingObserver());
        await using var newest = Start(paced, new RecordingObserver());

        // A slow pipeline: a frame taken every 20 ms, while ffmpeg could make thousands a second.
        var indexes = new List<long>();
        while (indexes.Count < 25)
        {
            var frame = await lossless.Frames.ReadAsync().AsTask().WaitAsync(s_wait);
            indexes.Add(frame.Index);
            frame.Release();
            (await newest.Frames.ReadAsync().AsTask().WaitAsync(s_wait)).Release();
            await Task.Delay(20);
        }

        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), indexes);
        Assert.Equal(0, lossless.FramesDropped);
        Assert.InRange(lossless.FramesRead, 25, 27);
        Assert.True(newest.FramesDropped > 0, "the paced source at 200 fps should have replaced frames the slow reader left");
    }

    [Fact]
    public async Task The_pipe_from_ffmpeg_holds_a_whole_frame()
    {
        var settings = new CameraSettings { Url = "testsrc", Width = 640, Height = 480, Fps = 30, Realtime = false };
        await using var source = Start(settings, new RecordingObserver());

        (await source.Frames.ReadAsync().AsTask().WaitAsync(s_wait)).Release();

        // 921,600 B of rgb24; the kernel's default pipe holds 65,536.
        Assert.InRange(source.PipeBytes, 640 * 480 * 3, 2 * 1024 * 1024);
    }

    [Fact]
    public async Task An_unpaced_source_waiting_for_a_paused_pipeline_is_not_taken_for_stalled()
    {
        var observer = new RecordingObserver();
        var settings = new CameraSettings { Url = "testsrc", Width = 64, Height = 48, Fps = 200, Realtime = false, StallTimeout = TimeSpan.FromSeconds(1) };
        await using var source = Start(settings, observer);
        (await source.Frames.ReadAsync().AsTask().WaitAsync(s_wait)).Release();

        // Four stall timeouts with nobody taking a frame.
        await Task.Delay(TimeSpan.FromSeconds(4));

        string? seen = null;
        try
        {
            seen = observer.Next(TimeSpan.Zero);
        }
        catch (TimeoutException)
        {
        }

        Assert.Null(seen);
        Assert.Equal(1, source.Starts);
        var next = await source.Frames.ReadAsync().AsTask().WaitAsync(s_wait);
        Assert.Equal(1, next.Index);
        next.Release();
    }

    [Fact]
    public async Task An_unpaced_source_that_nobody_reads_stops_at_once_and_its_ffmpeg_is_reaped()
    {
        var source = Start(new CameraSettings { Url = "testsrc", Width = 64, Height = 48, Fps = 200, Realtime = false }, new RecordingObserver());
        (await source.Frames.ReadAsync().AsTask().WaitAsync(s_wait)).Release();
        while (source.FramesRead < 2)
        {
            await Task.Delay(10);
        }

        var pid = source.ProcessId!.Value;

        await source.DisposeAsync().AsTask().WaitAsync(s_wait);

        Assert.Equal(SourceState.Stopped, source.State);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }

    [Fact]
    public async Task An_unpaced_source_whose_ffmpeg_ended_while_nobody_reads_still_stops()
    {
        // 4 frames, all in the pipe at once, then ffmpeg exits; the reader holds one for a pipeline that never takes it.
        var source = Start(new CameraSettings { Url = "testsrc=d=0.02:rate=200", Width = 64, Height = 48, Fps = 200, Loop = false, Realtime = false }, new RecordingObserver());
        (await source.Frames.ReadAsync().AsTask().WaitAsync(s_wait)).Release();
        var pid = source.ProcessId!.Value;
        var waited = Stopwatch.StartNew();
        while (IsRunning(pid) && waited.Elapsed < s_wait)
        {
            await Task.Delay(20);
        }

        Assert.False(IsRunning(pid));

        await source.DisposeAsync().AsTask().WaitAsync(s_wait);

        Assert.Equal(SourceState.Stopped, source.State);
    }

    [Fact]
    public async Task A_looped_image_arrives_as_ffmpeg_decodes_it_at_the_stream_size()
    {
        var photo = TestPaths.Shared("images", "goldfish.jpg");
        var settings = new CameraSettings { Url = photo, Width = 224, Height = 168, Fps = 20, Loop = true };
        await using var source = Start(settings, new RecordingObserver());

        var first = await source.Frames.ReadAsync().AsTask().WaitAsync(s_wait);
        var bytes = first.Buffer.ToArray();
        first.Release();
        var second = await source.Frames.ReadAsync().AsTask().WaitAsync(s_wait);

        Assert.Equal(Ffmpeg.DecodeImage(photo, "scale=224:168:flags=bilinear", "rgb24"), bytes);
        Assert.Equal(bytes, second.Buffer);
        second.Release();
    }

    [Fact]
    public async Task Killing_ffmpeg_reports_the_loss_then_the_recovery_and_frames_continue()
    {
        var observer = new RecordingObserver();
        var settings = new CameraSettings { Url = "testsrc", Width = 64, Height = 48, Fps = 25, RestartDelay = TimeSpan.FromMilliseconds(200) };
        await using var source = Start(settings, observer);
        (await source.Frames.ReadAsync().AsTask().WaitAsync(s_wait)).Release();
        var pid = source.ProcessId!.Value;

        Process.GetProcessById(pid).Kill();

        Assert.StartsWith("lost cam: ffmpeg exited with code", observer.Next(s_wait), StringComparison.Ordinal);
        Assert.Equal("restored cam", observer.Next(s_wait));
        Assert.NotEqual(pid, source.ProcessId);
        var before = source.FramesRead;
        (await source.Frames.ReadAsync().AsTask().WaitAsync(s_wait)).Release();
        (await source.Frames.ReadAsync().AsTask().WaitAsync(s_wait)).Release();
        Assert.True(source.FramesRead > before);
        Assert.Equal(2, source.Starts);
    }

    [Fact]
    public async Task A_stalled_exec_source_is_killed_and_restarted()
    {
        var observer = new RecordingObserver();
        var settings = new CameraSettings
        {
            Command = "bash",
            Arguments = ["-c", "head -c 48 /dev/zero; exec sleep 600"],
            Width = 4,
            Height = 4,
            PixelFormat = PixelFormat.Rgb24,
            StallTimeout = TimeSpan.FromSeconds(1),
            RestartDelay = TimeSpan.FromMilliseconds(100),
        };
        await using var source = Start(settings, observer);

        (await source.Frames.ReadAsync().AsTask().WaitAsync(s_wait)).Release();

        Assert.Equal("lost cam: no frame for 1 s from bash", observer.Next(s_wait));
        Assert.Equal("restored cam", observer.Next(s_wait));
    }

    [Fact]
    public async Task A_missing_file_fails_with_ffmpegs_reason_and_backs_off_instead_of_spinning()
    {
        var observer = new RecordingObserver();
        var settings = new CameraSettings { Url = "/nonexistent/video.mp4", Width = 64, Height = 48, RestartDelay = TimeSpan.FromMilliseconds(500), MaxRestartDelay = TimeSpan.FromSeconds(2) };
        await using var source = Start(settings, observer);

        var lost = observer.Next(s_wait);
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Contains("No such file or directory", lost, StringComparison.Ordinal);
        Assert.Equal(SourceState.Backoff, source.State);
        Assert.InRange(source.Starts, 2, 5);
    }

    [Fact]
    public async Task An_exec_source_delivers_declared_yuv420p_frames()
    {
        var settings = new CameraSettings
        {
            Command = "ffmpeg",
            Arguments = ["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "smptebars=size=32x16:rate=20", "-pix_fmt", "yuv420p", "-f", "rawvideo", "pipe:1"],
            Width = 32,
            Height = 16,
            PixelFormat = PixelFormat.Yuv420p,
        };
        await using var source = Start(settings, new RecordingObserver());

        var frame = await source.Frames.ReadAsync().AsTask().WaitAsync(s_wait);

        Assert.Equal((32 * 16) + (2 * 16 * 8), frame.Buffer.Length);
        frame.Release();
    }

    [Fact]
    public async Task Stopping_kills_and_reaps_the_child()
    {
        var source = Start(new CameraSettings { Url = "testsrc", Width = 64, Height = 48 }, new RecordingObserver());
        (await source.Frames.ReadAsync().AsTask().WaitAsync(s_wait)).Release();
        var pid = source.ProcessId!.Value;

        await source.DisposeAsync();

        Assert.Equal(SourceState.Stopped, source.State);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }

    [Theory]
    [InlineData("/dev/video0", "-f v4l2 -framerate 15 -video_size 640x480 -i /dev/video0", false)]
    [InlineData("rtsp://127.0.0.1:8554/cam", "-rtsp_transport tcp -i rtsp://127.0.0.1:8554/cam", false)]
    [InlineData("http://127.0.0.1:8080/stream.mjpg", "-reconnect 1 -reconnect_streamed 1 -i http://127.0.0.1:8080/stream.mjpg", false)]
    [InlineData("color=red", "-f lavfi -i color=red", true)]
    [InlineData("lavfi:testsrc=d=2[a];smptebars=d=2[b];[a][b]concat=n=2", "-f lavfi -i testsrc=d=2[a];smptebars=d=2[b];[a][b]concat=n=2", true)]
    [InlineData("/data/clip.mp4", "-stream_loop -1 -i /data/clip.mp4", true)]
    [InlineData("/data/still.png", "-loop 1 -framerate 15 -i /data/still.png", true)]
    public void Ffmpeg_input_arguments_follow_the_url(string url, string expected, bool paced)
    {
        var arguments = string.Join(' ', FfmpegArguments.Build(new CameraSettings { Url = url, Fps = 15 }));

        Assert.Contains(expected, arguments, StringComparison.Ordinal);
        Assert.DoesNotContain(" -re ", arguments, StringComparison.Ordinal);
        var filters = paced ? "fps=15,scale=640:480:flags=bilinear,realtime" : "fps=15,scale=640:480:flags=bilinear";
        Assert.EndsWith($"-vf {filters} -pix_fmt rgb24 -f rawvideo pipe:1", arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_and_lavfi_sources_run_unpaced_when_not_realtime()
    {
        var arguments = string.Join(' ', FfmpegArguments.Build(new CameraSettings { Url = "testsrc", Fps = 15, Realtime = false }));

        Assert.EndsWith("-vf fps=15,scale=640:480:flags=bilinear -pix_fmt rgb24 -f rawvideo pipe:1", arguments, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "-filter_threads 1 -threads 1 -f lavfi -i testsrc")]
    [InlineData(0, "-filter_threads 0 -threads 0 -f lavfi -i testsrc")]
    public void Ffmpeg_decodes_and_filters_on_the_threads_the_camera_allows(int threads, string expected)
    {
        var arguments = string.Join(' ', FfmpegArguments.Build(new CameraSettings { Url = "testsrc", Threads = threads }));

        Assert.Contains(expected, arguments, StringComparison.Ordinal);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static CameraSource Start(CameraSettings settings, ISourceObserver observer)
    {
        var source = new CameraSource("cam", settings, observer, NullLogger.Instance, TimeProvider.System);
        source.Start();
        return source;
    }
}
