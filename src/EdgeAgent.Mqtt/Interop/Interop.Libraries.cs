namespace EdgeAgent.Mqtt.Interop;

internal static partial class Mosquitto
{
    /// <summary>The runtime package's soname: the unversioned name exists only where libmosquitto-dev is installed.</summary>
    public const string Library = "libmosquitto.so.1";
}
