using System.Buffers;
using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx.Handles;

/// <summary>
/// Owns an OrtValue and, for a tensor over managed memory, the pin that keeps that memory in place:
/// the pin is let go only after ONNX Runtime has released the value, never while a run may read it.
/// </summary>
internal sealed class OrtValueHandle(OrtApiTable api, nint pointer, MemoryHandle pin) : OrtHandle(api, pointer)
{
    private MemoryHandle _pin = pin;

    protected override unsafe bool ReleaseHandle()
    {
        Api.ReleaseValue(handle);
        _pin.Dispose();
        return true;
    }
}
