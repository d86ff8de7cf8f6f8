using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx.Handles;

/// <summary>Owns an OrtTensorRTProviderOptionsV2.</summary>
internal sealed unsafe class OrtTensorRtProviderOptionsHandle(OrtApiTable api, nint pointer) : OrtHandle(api, pointer)
{
    protected override bool ReleaseHandle()
    {
        Api.ReleaseTensorRtProviderOptions(handle);
        return true;
    }
}
