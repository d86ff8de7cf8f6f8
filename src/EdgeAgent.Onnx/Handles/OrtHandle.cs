using System.Runtime.InteropServices;
using EdgeAgent.Onnx.Interop;

namespace EdgeAgent.Onnx.Handles;

/// <summary>The base of every ONNX Runtime object handle: invalid at zero, released through the table it came from.</summary>
internal abstract class OrtHandle : SafeHandle
{
    protected OrtHandle(OrtApiTable api, nint pointer)
        : base(0, ownsHandle: true)
    {
        Api = api;
        SetHandle(pointer);
    }

    public override bool IsInvalid => handle == 0;

    protected OrtApiTable Api { get; }
}
