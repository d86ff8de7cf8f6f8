namespace EdgeAgent.Pipeline.Preprocessing;

/// <summary>Raw frame formats a camera or exec source delivers (ffmpeg's names in comments).</summary>
public enum PixelFormat
{
    /// <summary>rgb24: packed R, G, B bytes.</summary>
    Rgb24,

    /// <summary>bgr24: packed B, G, R bytes.</summary>
    Bgr24,

    /// <summary>gray: one luma byte per pixel.</summary>
    Gray8,

    /// <summary>yuv420p: a full-size Y plane, then U and V planes at half width and height (BT.601, limited range).</summary>
    Yuv420p,
}

/// <summary>The size and format of every frame a source delivers.</summary>
public readonly record struct FrameGeometry(int Width, int Height, PixelFormat Format)
{
    /// <summary>Bytes in one frame.</summary>
    public int ByteCount => Format switch
    {
        PixelFormat.Rgb24 or PixelFormat.Bgr24 => Width * Height * 3,
        PixelFormat.Gray8 => Width * Height,
        _ => (Width * Height) + (2 * ((Width + 1) / 2) * ((Height + 1) / 2)),
    };

    /// <summary>Channels once decoded: 1 for gray, else 3 (in R, G, B order).</summary>
    public int DecodedChannels => Format == PixelFormat.Gray8 ? 1 : 3;

    public static PixelFormat ParseFormat(string name) => name switch
    {
        "rgb24" => PixelFormat.Rgb24,
        "bgr24" => PixelFormat.Bgr24,
        "gray" or "gray8" => PixelFormat.Gray8,
        "yuv420p" => PixelFormat.Yuv420p,
        _ => throw new ArgumentException($"pixel format '{name}' is not one of rgb24, bgr24, gray, yuv420p", nameof(name)),
    };
}
