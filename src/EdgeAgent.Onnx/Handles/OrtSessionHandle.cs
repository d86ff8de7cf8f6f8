using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx.Handles;

/// <summary>
/// Owns an OrtSession, a reference on the environment it was created in (released after the session,
/// as ONNX Runtime requires), and the session's input and output names encoded once for every Run.
/// </summary>
internal sealed unsafe class OrtSessionHandle : OrtHandle
{
    private readonly OrtEnvHandle _environment;
    private readonly bool _environmentReferenced;

    public OrtSessionHandle(OrtApiTable api, OrtEnvHandle environment, nint pointer)
        : base(api, pointer)
    {
        _environment = environment;
        _environment.DangerousAddRef(ref _environmentReferenced);
    }

    public NativeUtf8Strings? InputNames { get; set; }

    public NativeUtf8Strings? OutputNames { get; set; }

    protected override bool ReleaseHandle()
    {
        Api.ReleaseSession(handle);
        InputNames?.Free();
        OutputNames?.Free();
        if (_environmentReferenced)
        {
            _environment.DangerousRelease();
        }

        return true;
    }
}
