namespace EdgeAgent.Configuration;

/// <summary>
/// The whole configuration (CONTRACT.md section 4), bound from /etc/edge-agent/edge-agent.json and
/// EDGEAGENT__Section__Key environment variables. Defaults are what a Raspberry Pi with a camera needs.
/// </summary>
public sealed class AgentOptions
{
    public DeviceOptions Device { get; set; } = new();

    public AgentDirectories Agent { get; set; } = new();

    public MqttOptions Mqtt { get; set; } = new();

    public OutboxOptions Outbox { get; set; } = new();

    public InferenceOptions Inference { get; set; } = new();

    public ModelsOptions Models { get; set; } = new();

    public List<StreamOptions> Streams { get; set; } = [];
}

public sealed class DeviceOptions
{
    /// <summary>The device's name in topics; the hostname when unset.</summary>
    public string Id { get; set; } = Environment.MachineName;

    public List<string> Groups { get; set; } = [];
}

public sealed class AgentDirectories
{
    public string StateDirectory { get; set; } = "/var/lib/edge-agent";

    public string CacheDirectory { get; set; } = "/var/cache/edge-agent";

    /// <summary>journald's native socket, used when the agent runs under systemd.</summary>
    public string JournalSocket { get; set; } = "/run/systemd/journal/socket";

    /// <summary>
    /// How long a stream's pipeline may make no progress (no frame inferred, throttled or failed) while its source is
    /// running before the agent counts itself wedged and stops feeding systemd's watchdog.
    /// </summary>
    public double StallSeconds { get; set; } = 30;
}

public sealed class MqttOptions
{
    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = 1883;

    public string TopicPrefix { get; set; } = "edge";

    public string? Username { get; set; }

    public string? PasswordFile { get; set; }

    public TlsOptions Tls { get; set; } = new();

    public int Qos { get; set; } = 1;

    public int KeepAliveSeconds { get; set; } = 30;
}

public sealed class TlsOptions
{
    public string? CaFile { get; set; }

    public string? CertFile { get; set; }

    public string? KeyFile { get; set; }
}

public sealed class OutboxOptions
{
    /// <summary>Where queued results and events wait for the broker; &lt;state&gt;/outbox when unset.</summary>
    public string? Path { get; set; }

    public long MaxBytes { get; set; } = 64L * 1024 * 1024;
}

public sealed class InferenceOptions
{
    public string? LibraryPath { get; set; }

    /// <summary>In order of preference; empty means CPU only. (No default items: the binder would append to them.)</summary>
    public List<string> Providers { get; set; } = [];

    /// <summary>Intra-op threads per session; 1 leaves the other cores to ffmpeg and the broker.</summary>
    public int IntraOpThreads { get; set; } = 1;
}

public sealed class ModelsOptions
{
    /// <summary>Installed update bundles; &lt;state&gt;/models when unset.</summary>
    public string? StorePath { get; set; }

    public string BundledPath { get; set; } = "/usr/share/edge-agent/models";

    public string TrustedKeysPath { get; set; } = "/etc/edge-agent/trusted-keys";

    public bool RequireSignature { get; set; } = true;

    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    public int KeepVersions { get; set; } = 3;

    public ProbationOptions Probation { get; set; } = new();
}

public sealed class ProbationOptions
{
    public int Seconds { get; set; } = 300;

    public int MinInferences { get; set; } = 100;

    public int MaxWaitSeconds { get; set; } = 3600;

    public double MaxErrorRate { get; set; } = 0.01;

    public double MaxLatencyFactor { get; set; } = 1.5;
}

public sealed class StreamOptions
{
    public string Name { get; set; } = string.Empty;

    /// <summary>The model's name: a directory under the model store or Models:BundledPath.</summary>
    public string Model { get; set; } = string.Empty;

    public SourceOptions Source { get; set; } = new();

    /// <summary>At most this many inferences a second; 0 runs as fast as frames come.</summary>
    public double MaxFps { get; set; }

    /// <summary><c>all</c>, <c>changes</c>, <c>detections</c>, <c>anomalies</c> or <c>none</c>.</summary>
    public string Publish { get; set; } = "all";

    public double MinScore { get; set; }

    /// <summary>For sensor streams: when the anomaly state starts and ends.</summary>
    public AnomalyOptions Anomaly { get; set; } = new();
}

/// <summary>Hysteresis of a sensor stream's anomaly state, so one noisy window does not flap it.</summary>
public sealed class AnomalyOptions
{
    /// <summary>Consecutive windows scoring at or above the model's threshold that start an anomaly.</summary>
    public int EnterWindows { get; set; } = 2;

    /// <summary>Consecutive windows scoring below LeaveRatio x the threshold that end it.</summary>
    public int LeaveWindows { get; set; } = 3;

    public double LeaveRatio { get; set; } = 0.7;
}

public sealed class SourceOptions
{
    /// <summary><c>camera</c>, <c>exec</c> or <c>sensor</c>.</summary>
    public string Type { get; set; } = "camera";

    public string? Url { get; set; }

    public int Width { get; set; } = 640;

    public int Height { get; set; } = 480;

    public double Fps { get; set; } = 10;

    public bool Loop { get; set; } = true;

    /// <summary>For exec sources: rgb24, bgr24, gray or yuv420p.</summary>
    public string PixelFormat { get; set; } = "rgb24";

    public string? Command { get; set; }

    public List<string> Arguments { get; set; } = [];

    /// <summary>For camera sources: ffmpeg's decoding and filtering threads (0: ffmpeg's choice).</summary>
    public int Threads { get; set; } = 1;

    public double StallTimeoutSeconds { get; set; } = 10;

    /// <summary>For sensor sources: <c>iio</c>, <c>hwmon</c>, <c>thermal</c>, <c>w1</c>, <c>exec</c>, <c>mqtt</c>, <c>replay</c> or <c>sim</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>Samples a second; for <c>replay</c>, 0 keeps the recorded pace.</summary>
    public double RateHz { get; set; }

    /// <summary>Samples in a model input window.</summary>
    public int Window { get; set; }

    /// <summary>Samples from one window to the next (Window for windows that do not overlap).</summary>
    public int Hop { get; set; }

    /// <summary>
    /// One name per channel: IIO channel names (<c>accel_x</c>), hwmon labels or attribute prefixes, thermal zone
    /// types, 1-Wire slave ids, JSON paths in an mqtt message, the CSV columns of a replay; for exec and sim just names.
    /// </summary>
    public List<string> Channels { get; set; } = [];

    /// <summary>The IIO device's or hwmon chip's <c>name</c>.</summary>
    public string? Device { get; set; }

    public string SysfsRoot { get; set; } = "/sys";

    /// <summary>Samples that may wait for inference before new ones are lost.</summary>
    public int BufferSamples { get; set; } = 4096;

    /// <summary>For <c>mqtt</c>: the topic filter the readings arrive on (from the agent's own broker, Mqtt:*).</summary>
    public string? Topic { get; set; }

    /// <summary>For <c>replay</c>: the CSV file.</summary>
    public string? File { get; set; }

    /// <summary>For <c>replay</c>: the column holding each row's time (seconds, or ISO 8601).</summary>
    public string TimeColumn { get; set; } = "time";

    /// <summary>For <c>replay</c> and <c>sim</c>: off, samples come as fast as inference takes them (tests, benchmarks).</summary>
    public bool Realtime { get; set; } = true;

    public SimOptions Sim { get; set; } = new();
}

/// <summary>The simulated sensor: sine plus noise, with anomalies injected at seeded times.</summary>
public sealed class SimOptions
{
    public int Seed { get; set; } = 1;

    public double FrequencyHz { get; set; } = 5;

    public double Amplitude { get; set; } = 1;

    public double Noise { get; set; } = 0.1;

    /// <summary>One anomaly in every such period but the first; 0 for none.</summary>
    public double AnomalyEverySeconds { get; set; } = 20;

    public double AnomalySeconds { get; set; } = 3;
}
