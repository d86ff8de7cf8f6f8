namespace EdgeAgent.Onnx;

/// <summary>ONNX Runtime's <c>OrtLoggingLevel</c>: the least severe message its logger passes on.</summary>
public enum OrtLogLevel
{
    Verbose = 0,
    Info = 1,
    Warning = 2,
    Error = 3,
    Fatal = 4,
}
