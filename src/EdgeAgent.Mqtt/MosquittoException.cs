using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeAgent.Mqtt.Interop;

namespace EdgeAgent.Mqtt;

/// <summary>
/// A libmosquitto call failed: the <c>mosq_err_t</c>, <c>mosquitto_strerror</c>'s text (errno's own text for
/// <see cref="MosquittoError.Errno"/>, read right after the call), and the call that failed.
/// </summary>
public sealed class MosquittoException : Exception
{
    public MosquittoException(MosquittoError error, int errno, string operation, string? detail = null)
        : base(Describe(error, errno, operation, detail))
    {
        Error = error;
        Errno = errno;
        Operation = operation;
        HResult = (int)error;
    }

    public MosquittoException()
        : this(MosquittoError.Unknown, 0, "libmosquitto call")
    {
    }

    public MosquittoException(string message)
        : base(message)
    {
        Error = MosquittoError.Unknown;
        Operation = "libmosquitto call";
    }

    public MosquittoException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = MosquittoError.Unknown;
        Operation = "libmosquitto call";
    }

    public MosquittoError Error { get; }

    /// <summary>The operating system's errno for <see cref="MosquittoError.Errno"/>, else 0.</summary>
    public int Errno { get; }

    /// <summary>The failed call, such as "mosquitto_publish_v5 (topic 'a/b')".</summary>
    public string Operation { get; }

    /// <summary>libmosquitto's text for <paramref name="error"/>.</summary>
    public static string ErrorText(MosquittoError error) =>
        Marshal.PtrToStringUTF8(Mosquitto.mosquitto_strerror((int)error)) ?? $"error {(int)error}";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ThrowIfFailed(int rc, string operation, string? detail = null)
    {
        if (rc != 0)
        {
            Throw(rc, operation, detail);
        }
    }

    /// <summary>Throws for <paramref name="rc"/>; call it right after the native call so errno is still the call's.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Throw(int rc, string operation, string? detail = null) =>
        throw Create(rc, operation, detail);

    internal static MosquittoException Create(int rc, string operation, string? detail = null) =>
        new((MosquittoError)rc, rc == (int)MosquittoError.Errno ? Marshal.GetLastPInvokeError() : 0, operation, detail);

    private static string Describe(MosquittoError error, int errno, string operation, string? detail)
    {
        var text = error == MosquittoError.Errno && errno != 0
            ? $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})"
            : ErrorText(error);
        return detail is null
            ? $"{operation} failed: {text} (MOSQ_ERR {(int)error})"
            : $"{operation} failed: {text} (MOSQ_ERR {(int)error}): {detail}";
    }
}
