namespace EdgeAgent.Mqtt;

/// <summary>An attempt to connect failed; <see cref="Exception.InnerException"/> holds the native failure or the broker's refusal.</summary>
public sealed class MqttConnectException : Exception
{
    public MqttConnectException(string endpoint, int attempt, bool willRetry, Exception reason)
        : base($"connecting to {endpoint} failed (attempt {attempt}{(willRetry ? ", will retry" : ", giving up")}): {reason.Message}", reason)
    {
        Endpoint = endpoint;
        Attempt = attempt;
        WillRetry = willRetry;
    }

    public MqttConnectException()
        : this("MQTT connection failed")
    {
    }

    public MqttConnectException(string message)
        : base(message)
    {
        Endpoint = string.Empty;
    }

    public MqttConnectException(string message, Exception innerException)
        : base(message, innerException)
    {
        Endpoint = string.Empty;
    }

    /// <summary>"mqtt://host:port" or "mqtts://host:port".</summary>
    public string Endpoint { get; }

    /// <summary>The consecutive attempt this was, counting from 1.</summary>
    public int Attempt { get; }

    /// <summary>False when the client gave up after this attempt.</summary>
    public bool WillRetry { get; }

    /// <summary>The CONNACK reason code when the broker refused us (134 bad user name or password, 135 not authorised), else null.</summary>
    public int? ReasonCode => (InnerException as MqttReasonException)?.ReasonCode;
}
