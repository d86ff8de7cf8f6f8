using System.Runtime.InteropServices;
using EdgeAgent.Mqtt.Interop;

namespace EdgeAgent.Mqtt.Handles;

/// <summary>
/// Owns a <c>struct mosquitto*</c> and the <see cref="GCHandle"/> its callbacks use to find their owner.
/// The owner stops the network loop before disposing this, so the handle is freed only after the last callback.
/// </summary>
internal sealed class MosquittoClientHandle : SafeHandle
{
    private GCHandle _owner;

    public MosquittoClientHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Creates the native client with a strong <see cref="GCHandle"/> to <paramref name="owner"/> as its user pointer.</summary>
    public static MosquittoClientHandle Create(string clientId, bool cleanStart, object owner)
    {
        MosquittoLibrary.AddClient();
        var result = new MosquittoClientHandle { _owner = GCHandle.Alloc(owner) };
        var pointer = Mosquitto.mosquitto_new(clientId, cleanStart, GCHandle.ToIntPtr(result._owner));
        if (pointer == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            result._owner.Free();
            MosquittoLibrary.RemoveClient();
            throw new MosquittoException(MosquittoError.Errno, errno, $"mosquitto_new (client id '{clientId}')");
        }

        result.SetHandle(pointer);
        return result;
    }

    protected override bool ReleaseHandle()
    {
        Mosquitto.mosquitto_destroy(handle);
        if (_owner.IsAllocated)
        {
            _owner.Free();
        }

        MosquittoLibrary.RemoveClient();
        return true;
    }
}
