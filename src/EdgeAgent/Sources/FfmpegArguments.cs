using System.Globalization;
using EdgeAgent.Pipeline.Preprocessing;

namespace EdgeAgent.Sources;

/// <summary>The ffmpeg command line that turns a camera URL into raw frames of the stream's size on stdout.</summary>
public static class FfmpegArguments
{
    private static readonly string[] s_lavfiSources =
    [
        "testsrc", "testsrc2", "smptebars", "smptehdbars", "rgbtestsrc", "yuvtestsrc", "pal75bars", "pal100bars",
        "color", "mandelbrot", "life", "cellauto", "allrgb", "allyuv", "colorchart", "colorspectrum", "gradients", "zoneplate",
    ];

    private static readonly string[] s_imageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"];

    public static IReadOnlyList<string> Build(CameraSettings camera)
    {
        ArgumentNullException.ThrowIfNull(camera);
        var fps = camera.Fps.ToString(CultureInfo.InvariantCulture);
        var threads = camera.Threads.ToString(CultureInfo.InvariantCulture);
        var args = new List<string> { "-hide_banner", "-loglevel", "warning", "-nostdin", "-filter_threads", threads, "-threads", threads };
        var url = camera.Url;
        if (IsDevice(url))
        {
            args.AddRange(["-f", "v4l2", "-framerate", fps, "-video_size", $"{camera.Width}x{camera.Height}", "-i", url]);
        }
        else if (IsRtsp(url))
        {
            args.AddRange(["-rtsp_transport", "tcp", "-i", url]);
        }
        else if (IsHttp(url))
        {
            args.AddRange(["-reconnect", "1", "-reconnect_streamed", "1", "-i", url]);
        }
        else if (IsLavfi(url))
        {
            args.AddRange(["-f", "lavfi", "-i", url.StartsWith(LavfiPrefix, StringComparison.Ordinal) ? url[LavfiPrefix.Length..] : url]);
        }
        else if (s_imageExtensions.Contains(Path.GetExtension(url).ToLowerInvariant()))
        {
            args.AddRange(camera.Loop ? ["-loop", "1", "-framerate", fps, "-i", url] : ["-i", url]);
        }
        else
        {
            if (camera.Loop)
            {
                args.AddRange(["-stream_loop", "-1"]);
            }

            args.AddRange(["-i", url]);
        }

        // Paced by the realtime filter, which sleeps until each frame's time, rather than by -re, which reads ahead
        // and sleeps 10 ms whenever it is early: frames came in bursts with 11 ms gaps (at 450 fps, 150 gaps over
        // 5 ms in 1,323 frames against 3 in 1,415), and the newest-frame channel dropped all but the last of a burst.
        var pacing = camera.Realtime && !IsLive(url) ? ",realtime" : string.Empty;
        args.AddRange([
            "-an", "-sn", "-dn",
            "-vf", $"fps={fps},scale={camera.Width}:{camera.Height}:flags=bilinear{pacing}",
            "-pix_fmt", PixelFormatName(camera.PixelFormat),
            "-f", "rawvideo", "pipe:1",
        ]);
        return args;
    }

    /// <summary>A V4L2 device or a network stream: it makes frames at its own pace, which ffmpeg cannot slow down.</summary>
    public static bool IsLive(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return IsDevice(url) || IsRtsp(url) || IsHttp(url);
    }

    private static bool IsDevice(string url) => url.StartsWith("/dev/video", StringComparison.Ordinal);

    private static bool IsRtsp(string url) => url.StartsWith("rtsp://", StringComparison.Ordinal) || url.StartsWith("rtsps://", StringComparison.Ordinal);

    private static bool IsHttp(string url) => url.StartsWith("http://", StringComparison.Ordinal) || url.StartsWith("https://", StringComparison.Ordinal);

    /// <summary>Marks any lavfi filter graph, such as several test patterns concatenated.</summary>
    public const string LavfiPrefix = "lavfi:";

    /// <summary>An ffmpeg lavfi source name, alone or with options (<c>color=red</c>, <c>testsrc2=size=320x240</c>), or <c>lavfi:GRAPH</c>.</summary>
    public static bool IsLavfi(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.StartsWith(LavfiPrefix, StringComparison.Ordinal))
        {
            return true;
        }

        var name = url.Split('=', ':', ',')[0];
        return !url.Contains('/', StringComparison.Ordinal) && s_lavfiSources.Contains(name);
    }

    public static string PixelFormatName(PixelFormat format) => format switch
    {
        PixelFormat.Rgb24 => "rgb24",
        PixelFormat.Bgr24 => "bgr24",
        PixelFormat.Gray8 => "gray",
        _ => "yuv420p",
    };
}
