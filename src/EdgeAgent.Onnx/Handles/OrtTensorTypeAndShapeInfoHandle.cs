using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx.Handles;

/// <summary>Owns an OrtTensorTypeAndShapeInfo.</summary>
internal sealed unsafe class OrtTensorTypeAndShapeInfoHandle(OrtApiTable api, nint pointer) : OrtHandle(api, pointer)
{
    protected override bool ReleaseHandle()
    {
        Api.ReleaseTensorTypeAndShapeInfo(handle);
        return true;
    }
}
