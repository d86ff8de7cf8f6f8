namespace EdgeCtl.Commands;

/// <summary>Names from the command line, checked before they reach a topic or a directory on a device.</summary>
internal static class Names
{
    /// <summary>Device ids and group names become one topic level.</summary>
    /// <exception cref="EdgeCtlException">The value is empty or holds '/', '+', '#' or a control character (exit code 2).</exception>
    public static string TopicLevel(string option, string value)
    {
        if (value.Length == 0 || value.AsSpan().IndexOfAny("/+#") >= 0 || value.Any(char.IsControl))
        {
            throw EdgeCtlException.Usage($"{option} '{value}' must be one topic level: not empty, without '/', '+', '#' or control characters");
        }

        return value;
    }

    /// <summary>A model name becomes a directory on the device (<c>&lt;state&gt;/models/&lt;name&gt;/</c>).</summary>
    /// <exception cref="EdgeCtlException">Empty, '.', '..', or holding '/', '\\' or a control character (exit code 2).</exception>
    public static string Model(string name)
    {
        if (name is "" or "." or ".." || name.AsSpan().IndexOfAny("/\\") >= 0 || name.Any(char.IsControl) || name.Length > 100)
        {
            throw EdgeCtlException.Usage($"--model '{name}' must be a plain name (a directory on the device): no '/', '\\', '.', '..' or control characters, at most 100 characters");
        }

        return name;
    }
}
