using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx.Handles;

/// <summary>Owns an OrtSessionOptions.</summary>
internal sealed unsafe class OrtSessionOptionsHandle(OrtApiTable api, nint pointer) : OrtHandle(api, pointer)
{
    protected override bool ReleaseHandle()
    {
        Api.ReleaseSessionOptions(handle);
        return true;
    }
}
