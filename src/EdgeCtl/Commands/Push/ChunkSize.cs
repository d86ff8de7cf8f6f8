using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeCtl.Commands.Push;

/// <summary><c>--chunk-size</c>: bytes, or with a binary unit (<c>64KiB</c>, <c>64K</c>, <c>1MiB</c>).</summary>
internal static partial class ChunkSize
{
    /// <summary>
    /// 64 KiB: within the smallest message limit of the common services (Azure IoT Hub's 64 KiB for cloud-to-device
    /// messages; AWS IoT Core takes 128 KiB), and small enough that a resend after a lost chunk is cheap.
    /// </summary>
    public const int Default = 64 * 1024;

    public const int Min = 1024;

    public const int Max = 16 * 1024 * 1024;

    /// <exception cref="EdgeCtlException">Not a size, or outside 1 KiB to 16 MiB (exit code 2).</exception>
    public static int Parse(string text)
    {
        var match = SizePattern().Match(text);
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw EdgeCtlException.Usage($"--chunk-size '{text}' is not a size: give bytes or a number with KiB or MiB (64KiB)");
        }

        var unit = match.Groups[2].Value.ToUpperInvariant();
        var bytes = number * (unit.StartsWith('M') ? 1024 * 1024 : unit.StartsWith('K') ? 1024 : 1);
        if (bytes is < Min or > Max)
        {
            throw EdgeCtlException.Usage($"--chunk-size '{text}' is {bytes} bytes; allowed: 1KiB to 16MiB");
        }

        return (int)bytes;
    }

    [GeneratedRegex(@"^\s*(\d{1,12})\s*(B|K|KB|KIB|M|MB|MIB)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
