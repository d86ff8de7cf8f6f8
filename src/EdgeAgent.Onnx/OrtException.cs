namespace EdgeAgent.Onnx;

/// <summary>A call into ONNX Runtime failed: the native error code and message, and the call that failed.</summary>
public sealed class OrtException : Exception
{
    public OrtException(OrtErrorCode code, string nativeMessage, string operation)
        : base($"{operation} failed: {code}: {nativeMessage}")
    {
        Code = code;
        NativeMessage = nativeMessage;
        Operation = operation;
    }

    public OrtException()
        : this(OrtErrorCode.Fail, "unknown error", "ONNX Runtime call")
    {
    }

    public OrtException(string message)
        : this(OrtErrorCode.Fail, message, "ONNX Runtime call")
    {
    }

    public OrtException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = OrtErrorCode.Fail;
        NativeMessage = message;
        Operation = "ONNX Runtime call";
    }

    public OrtErrorCode Code { get; }

    /// <summary>The text ONNX Runtime gave, trailing whitespace removed.</summary>
    public string NativeMessage { get; }

    /// <summary>The binding's name for the call that failed, such as "CreateSession".</summary>
    public string Operation { get; }
}
