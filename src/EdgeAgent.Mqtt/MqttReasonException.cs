using System.Runtime.InteropServices;
using EdgeAgent.Mqtt.Interop;

namespace EdgeAgent.Mqtt;

/// <summary>The broker answered with an MQTT 5 reason code of 128 or more (PUBACK, SUBACK or CONNACK).</summary>
public sealed class MqttReasonException : Exception
{
    public MqttReasonException(int reasonCode, string operation)
        : base($"{operation}: the broker answered {ReasonText(reasonCode)} (reason code {reasonCode})")
    {
        ReasonCode = reasonCode;
        Operation = operation;
    }

    public MqttReasonException()
        : this(128, "MQTT operation")
    {
    }

    public MqttReasonException(string message)
        : base(message)
    {
        ReasonCode = 128;
        Operation = "MQTT operation";
    }

    public MqttReasonException(string message, Exception innerException)
        : base(message, innerException)
    {
        ReasonCode = 128;
        Operation = "MQTT operation";
    }

    /// <summary>The MQTT 5 reason code, such as 135 (not authorised) or 151 (quota exceeded).</summary>
    public int ReasonCode { get; }

    public string Operation { get; }

    /// <summary>libmosquitto's text for an MQTT 5 reason code.</summary>
    public static string ReasonText(int reasonCode) =>
        Marshal.PtrToStringUTF8(Mosquitto.mosquitto_reason_string(reasonCode)) ?? $"reason {reasonCode}";
}
