using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeAgent.Onnx.Interop;

/// <summary>The one place an <c>OrtStatus*</c> becomes an exception; the status is released either way.</summary>
internal static unsafe class OrtStatus
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(OrtApiTable api, nint status, string operation)
    {
        if (status != 0)
        {
            Throw(api, status, operation);
        }
    }

    public static OrtException ToException(OrtApiTable api, nint status, string operation)
    {
        OrtErrorCode code;
        string message;
        try
        {
            code = (OrtErrorCode)api.GetErrorCode(status);
            message = Marshal.PtrToStringUTF8((nint)api.GetErrorMessage(status))?.TrimEnd() ?? string.Empty;
        }
        finally
        {
            api.ReleaseStatus(status);
        }

        return new OrtException(code, message, operation);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(OrtApiTable api, nint status, string operation) =>
        throw ToException(api, status, operation);
}
