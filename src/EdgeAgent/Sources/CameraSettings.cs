using EdgeAgent.Pipeline.Preprocessing;

namespace EdgeAgent.Sources;

/// <summary>What a camera or exec source delivers and how it is kept alive.</summary>
public sealed record CameraSettings
{
    /// <summary>A V4L2 device, an rtsp:// or http(s):// URL, a video or image file, or an ffmpeg lavfi source (testsrc, color=red).</summary>
    public string Url { get; init; } = "testsrc";

    public int Width { get; init; } = 640;

    public int Height { get; init; } = 480;

    public double Fps { get; init; } = 10;

    /// <summary>Files and images start again at their end.</summary>
    public bool Loop { get; init; } = true;

    /// <summary>
    /// Files and lavfi sources are paced at their frame rate; off, they run as fast as the pipeline takes their frames,
    /// none replaced by a newer one (benchmarks, tests). A live camera keeps its own pace either way.
    /// </summary>
    public bool Realtime { get; init; } = true;

    public PixelFormat PixelFormat { get; init; } = PixelFormat.Rgb24;

    /// <summary>
    /// ffmpeg's decoding and filtering threads; 0 lets ffmpeg choose (one per core and more). One keeps a camera off
    /// the cores inference runs on; a large H.264 or H.265 stream on a board with spare cores may need more.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>For an exec source: the program, which writes raw frames of <see cref="PixelFormat"/> to stdout. Null for ffmpeg.</summary>
    public string? Command { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>No frame for this long means the source is stuck: it is killed and restarted.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first wait before a restart; it doubles, with jitter, up to <see cref="MaxRestartDelay"/>.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRestartDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a source must deliver before its next failure counts as new (the backoff starts over).</summary>
    public TimeSpan HealthyAfter { get; init; } = TimeSpan.FromSeconds(30);

    public FrameGeometry Geometry => new(Width, Height, PixelFormat);
}
