namespace EdgeAgent.Pipeline.Preprocessing;

/// <summary>
/// Where a frame lands in the model's input: tensor = frame x scale + offset, per axis. Letterbox keeps it so that
/// boxes found in the tensor map back to the original frame.
/// </summary>
public readonly record struct FrameToTensorMapping(int FrameWidth, int FrameHeight, double ScaleX, double ScaleY, double OffsetX, double OffsetY)
{
    /// <summary>A point in tensor pixels as a fraction (0..1) of the original frame.</summary>
    public (double X, double Y) ToFrameFraction(double tensorX, double tensorY) =>
        ((tensorX - OffsetX) / ScaleX / FrameWidth, (tensorY - OffsetY) / ScaleY / FrameHeight);

    /// <summary>The mapping for a resize mode (stretch, letterbox, crop) from a frame to a model input of the given size.</summary>
    public static FrameToTensorMapping For(string resize, int frameWidth, int frameHeight, int width, int height, int? cropFrom, string padAnchor)
    {
        switch (resize)
        {
            case "stretch":
                return new(frameWidth, frameHeight, (double)width / frameWidth, (double)height / frameHeight, 0, 0);
            case "letterbox":
            {
                var r = Math.Min((double)width / frameWidth, (double)height / frameHeight);
                var scaledWidth = (int)Math.Round(frameWidth * r);
                var scaledHeight = (int)Math.Round(frameHeight * r);
                var centered = padAnchor == "center";
                return new(
                    frameWidth,
                    frameHeight,
                    (double)scaledWidth / frameWidth,
                    (double)scaledHeight / frameHeight,
                    centered ? (width - scaledWidth) / 2 : 0,
                    centered ? (height - scaledHeight) / 2 : 0);
            }

            case "crop":
            {
                var shorter = cropFrom ?? Math.Min(width, height);
                var r = (double)shorter / Math.Min(frameWidth, frameHeight);
                var scaledWidth = (int)Math.Round(frameWidth * r);
                var scaledHeight = (int)Math.Round(frameHeight * r);
                return new(
                    frameWidth,
                    frameHeight,
                    (double)scaledWidth / frameWidth,
                    (double)scaledHeight / frameHeight,
                    -((scaledWidth - width) / 2),
                    -((scaledHeight - height) / 2));
            }

            default:
                throw new ArgumentException($"resize '{resize}' is not one of stretch, letterbox, crop", nameof(resize));
        }
    }
}
