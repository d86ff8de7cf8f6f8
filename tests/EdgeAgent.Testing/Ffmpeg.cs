using System.Diagnostics;
using System.Globalization;

namespace EdgeAgent.Testing;

/// <summary>Decodes test photos and recordings with the real ffmpeg, so fixtures start from raw samples.</summary>
public static class Ffmpeg
{
    /// <summary>The first frame of an image or video as packed pixels (rgb24, bgr24, ...) after the filter chain <paramref name="filters"/>.</summary>
    public static byte[] DecodeImage(string path, string filters, string pixelFormat) =>
        Run("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-i", path, "-vf", filters, "-frames:v", "1", "-pix_fmt", pixelFormat, "-f", "rawvideo", "-");

    /// <summary>An image's width and height.</summary>
    public static (int Width, int Height) ImageSize(string path)
    {
        var line = System.Text.Encoding.ASCII.GetString(
            Run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", path)).Trim();
        var parts = line.Split(',');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>A recording as mono float samples at <paramref name="sampleRate"/>.</summary>
    public static float[] DecodeAudio(string path, int sampleRate)
    {
        var bytes = Run("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-i", path, "-ac", "1", "-ar", sampleRate.ToString(CultureInfo.InvariantCulture), "-f", "f32le", "-");
        var samples = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * sizeof(float));
        return samples;
    }

    private static byte[] Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start: ./build.sh installs Debian's ffmpeg");
        var errors = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors.Result}");
        }

        return output.ToArray();
    }
}
