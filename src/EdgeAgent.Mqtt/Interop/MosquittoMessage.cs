using System.Runtime.InteropServices;

namespace EdgeAgent.Mqtt.Interop;

/// <summary><c>struct mosquitto_message</c>; this layout matches x86_64 and aarch64 (40 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MosquittoMessage
{
    public int Mid;
    public nint Topic;
    public nint Payload;
    public int PayloadLength;
    public int Qos;
    public byte Retain;
}
