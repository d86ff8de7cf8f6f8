using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx.Handles;

/// <summary>Owns an OrtCUDAProviderOptionsV2.</summary>
internal sealed unsafe class OrtCudaProviderOptionsHandle(OrtApiTable api, nint pointer) : OrtHandle(api, pointer)
{
    protected override bool ReleaseHandle()
    {
        Api.ReleaseCudaProviderOptions(handle);
        return true;
    }
}
