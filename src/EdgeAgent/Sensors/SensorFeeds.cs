using EdgeAgent.Configuration;
using EdgeAgent.Mqtt;
using EdgeAgent.Sensors.Sim;
using EdgeAgent.Sensors.Sysfs;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Sensors;

/// <summary>Builds a stream's sensor feed and settings from its validated <c>Source</c> options.</summary>
public static class SensorFeeds
{
    /// <param name="broker">The agent's broker, for the <c>mqtt</c> kind.</param>
    public static ISensorFeed Create(string stream, SourceOptions source, MqttClientOptions broker, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(source);
        var channels = source.Channels;
        var root = source.SysfsRoot;
        return source.Kind switch
        {
            "iio" => Polled(new SysfsReader($"iio {source.Device}: {string.Join(", ", channels)}", channels.Count, () => SysfsLocator.Iio(root, source.Device!, channels), time)),
            "hwmon" => Polled(new SysfsReader($"hwmon {source.Device}: {string.Join(", ", channels)}", channels.Count, () => SysfsLocator.Hwmon(root, source.Device!, channels), time)),
            "thermal" => Polled(new SysfsReader($"thermal zones {string.Join(", ", channels)}", channels.Count, () => SysfsLocator.Thermal(root, channels), time)),
            "w1" => Polled(new SysfsReader($"1-Wire {string.Join(", ", channels)}", channels.Count, () => SysfsLocator.W1(root, channels), time)),
            "sim" => Polled(new SimReader(new SimSignal(Simulation(source.Sim), source.RateHz, channels.Count), channels)),
            "exec" => new ExecFeed(stream, source.Command!, source.Arguments, channels.Count, logger, time),
            "mqtt" => new MqttFeed(broker, source.Topic!, channels, source.BufferSamples, time),
            "replay" => new ReplayFeed(source.File!, source.TimeColumn, channels, source.RateHz, source.Loop, source.Realtime, time),
            _ => throw new ArgumentException($"sensor kind '{source.Kind}' is not one this agent reads", nameof(source)),
        };

        // Only the simulator can run faster than real time; a sysfs sensor is always read at its rate.
        PolledFeed Polled(ISensorReader reader) => new(reader, source.RateHz, source.Realtime || source.Kind != "sim", time);
    }

    /// <summary>The agent's broker settings for a stream's own mqtt client (no Will: the agent's main client has it).</summary>
    public static MqttClientOptions Broker(MqttOptions mqtt, string device, string stream)
    {
        ArgumentNullException.ThrowIfNull(mqtt);
        return new MqttClientOptions
        {
            Host = mqtt.Host,
            Port = mqtt.Port,
            ClientId = $"edge-agent-{device}-{stream}",
            KeepAlive = TimeSpan.FromSeconds(mqtt.KeepAliveSeconds),
            Username = mqtt.Username,
            PasswordFile = mqtt.PasswordFile,
            Tls = mqtt.Tls.CaFile is null ? null : new MqttTlsOptions { CaFile = mqtt.Tls.CaFile, CertFile = mqtt.Tls.CertFile, KeyFile = mqtt.Tls.KeyFile },
        };
    }

    public static SensorSettings Settings(SourceOptions source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new SensorSettings
        {
            BufferSamples = source.BufferSamples,
            BatchSamples = BatchFor(source.RateHz),
            Realtime = source.Realtime || source.Kind is not ("sim" or "replay"),
        };
    }

    /// <summary>A quarter second of samples at <paramref name="rateHz"/> (one sample for feeds of no set rate).</summary>
    public static int BatchFor(double rateHz) => (int)Math.Clamp(rateHz / 4, 1, 4096);

    public static SimSettings Simulation(SimOptions sim)
    {
        ArgumentNullException.ThrowIfNull(sim);
        return new SimSettings
        {
            Seed = sim.Seed,
            FrequencyHz = sim.FrequencyHz,
            Amplitude = sim.Amplitude,
            Noise = sim.Noise,
            AnomalyEverySeconds = sim.AnomalyEverySeconds,
            AnomalySeconds = sim.AnomalySeconds,
        };
    }
}
