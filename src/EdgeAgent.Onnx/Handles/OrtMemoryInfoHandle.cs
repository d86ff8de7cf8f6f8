using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx.Handles;

/// <summary>Owns an OrtMemoryInfo.</summary>
internal sealed unsafe class OrtMemoryInfoHandle(OrtApiTable api, nint pointer) : OrtHandle(api, pointer)
{
    protected override bool ReleaseHandle()
    {
        Api.ReleaseMemoryInfo(handle);
        return true;
    }
}
