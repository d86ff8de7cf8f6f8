namespace EdgeAgent.Onnx;

/// <summary>No usable ONNX Runtime library was found; names every path tried and why each failed.</summary>
public sealed class OrtLibraryLoadException : Exception
{
    public OrtLibraryLoadException(IReadOnlyList<string> attempts)
        : base(Describe(attempts))
    {
        Attempts = attempts;
    }

    public OrtLibraryLoadException()
        : this([])
    {
    }

    public OrtLibraryLoadException(string message)
        : base(message)
    {
        Attempts = [message];
    }

    public OrtLibraryLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
        Attempts = [message];
    }

    /// <summary>One line per path tried: the path, then why it could not be used.</summary>
    public IReadOnlyList<string> Attempts { get; }

    private static string Describe(IReadOnlyList<string> attempts) =>
        "no usable ONNX Runtime library; tried:" + string.Concat(attempts.Select(a => "\n  " + a));
}
