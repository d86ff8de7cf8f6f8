using System.Runtime.InteropServices;
using EdgeAgent.Mqtt.Interop;

namespace EdgeAgent.Mqtt.Handles;

/// <summary>Owns a <c>mosquitto_property*</c> list that the client keeps and passes to every CONNECT.</summary>
internal sealed class MosquittoPropertyListHandle : SafeHandle
{
    public MosquittoPropertyListHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>A list holding the CONNECT properties of a persistent session.</summary>
    public static MosquittoPropertyListHandle ForConnect(uint sessionExpirySeconds)
    {
        nint list = 0;
        var rc = Mosquitto.mosquitto_property_add_int32(ref list, Mosquitto.PropertySessionExpiryInterval, sessionExpirySeconds);
        if (rc != 0)
        {
            Mosquitto.mosquitto_property_free_all(ref list);
            MosquittoException.Throw(rc, "mosquitto_property_add_int32 (session-expiry-interval)");
        }

        var result = new MosquittoPropertyListHandle();
        result.SetHandle(list);
        return result;
    }

    protected override bool ReleaseHandle()
    {
        var list = handle;
        Mosquitto.mosquitto_property_free_all(ref list);
        return true;
    }
}
