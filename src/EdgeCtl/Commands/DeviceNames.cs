namespace EdgeCtl.Commands;

/// <summary>Device ids and group names become one topic level, so they are checked before they reach a topic.</summary>
internal static class DeviceNames
{
    /// <exception cref="EdgeCtlException">The value is empty or holds '/', '+', '#' or a control character (exit code 2).</exception>
    public static string Check(string option, string value)
    {
        if (value.Length == 0 || value.AsSpan().IndexOfAny("/+#") >= 0 || value.Any(char.IsControl))
        {
            throw EdgeCtlException.Usage($"{option} '{value}' must be one topic level: not empty, without '/', '+', '#' or control characters");
        }

        return value;
    }
}
