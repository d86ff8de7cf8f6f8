using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx.Handles;

/// <summary>Owns an OrtTypeInfo.</summary>
internal sealed unsafe class OrtTypeInfoHandle(OrtApiTable api, nint pointer) : OrtHandle(api, pointer)
{
    protected override bool ReleaseHandle()
    {
        Api.ReleaseTypeInfo(handle);
        return true;
    }
}
