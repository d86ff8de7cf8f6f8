using System.Globalization;
using EdgeAgent.Onnx;
using Microsoft.Extensions.Options;

namespace EdgeAgent.Configuration;

/// <summary>
/// Checks every setting at start; each failure names the key (as in the JSON file, e.g. <c>Streams:0:Source:Width</c>),
/// the value, and what is allowed.
/// </summary>
public sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    private static readonly string[] s_publishModes = ["all", "changes", "detections", "anomalies", "none"];
    private static readonly string[] s_sourceTypes = ["camera", "exec", "sensor"];
    private static readonly string[] s_sensorKinds = ["iio", "hwmon", "thermal", "w1", "exec", "mqtt", "replay", "sim"];
    private static readonly string[] s_pixelFormats = ["rgb24", "bgr24", "gray", "yuv420p"];

    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static IReadOnlyList<string> Check(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Require(bool ok, string key, object? value, string allowed)
        {
            if (!ok)
            {
                failures.Add($"{key} is {Show(value)}; it must be {allowed}");
            }
        }

        Require(IsTopicSegment(options.Device.Id), "Device:Id", options.Device.Id, "a non-empty name without '/', '+', '#' or control characters");
        for (var i = 0; i < options.Device.Groups.Count; i++)
        {
            Require(IsTopicSegment(options.Device.Groups[i]), $"Device:Groups:{i}", options.Device.Groups[i], "a non-empty name without '/', '+', '#' or control characters");
        }

        Require(!string.IsNullOrWhiteSpace(options.Agent.StateDirectory), "Agent:StateDirectory", options.Agent.StateDirectory, "a directory path");
        Require(!string.IsNullOrWhiteSpace(options.Agent.CacheDirectory), "Agent:CacheDirectory", options.Agent.CacheDirectory, "a directory path");
        Require(Path.IsPathFullyQualified(options.Agent.JournalSocket), "Agent:JournalSocket", options.Agent.JournalSocket, "an absolute socket path");
        Require(options.Agent.StallSeconds is >= 1 and <= 3600, "Agent:StallSeconds", options.Agent.StallSeconds, "between 1 and 3600");

        var mqtt = options.Mqtt;
        Require(!string.IsNullOrWhiteSpace(mqtt.Host), "Mqtt:Host", mqtt.Host, "a host name or address");
        Require(mqtt.Port is >= 1 and <= 65535, "Mqtt:Port", mqtt.Port, "between 1 and 65535");
        Require(IsTopicSegment(mqtt.TopicPrefix), "Mqtt:TopicPrefix", mqtt.TopicPrefix, "a non-empty name without '/', '+', '#' or control characters");
        Require(mqtt.Qos is 0 or 1, "Mqtt:Qos", mqtt.Qos, "0 or 1");
        Require(mqtt.KeepAliveSeconds is >= 5 and <= 3600, "Mqtt:KeepAliveSeconds", mqtt.KeepAliveSeconds, "between 5 and 3600");
        Require(mqtt.PasswordFile is null || File.Exists(mqtt.PasswordFile), "Mqtt:PasswordFile", mqtt.PasswordFile, "an existing file holding the password");
        Require(mqtt.PasswordFile is null || mqtt.Username is not null, "Mqtt:Username", mqtt.Username, "set when Mqtt:PasswordFile is");
        Require(mqtt.Tls.CaFile is null || File.Exists(mqtt.Tls.CaFile), "Mqtt:Tls:CaFile", mqtt.Tls.CaFile, "an existing PEM file");
        Require(mqtt.Tls.CertFile is null || File.Exists(mqtt.Tls.CertFile), "Mqtt:Tls:CertFile", mqtt.Tls.CertFile, "an existing PEM file");
        Require(mqtt.Tls.KeyFile is null || File.Exists(mqtt.Tls.KeyFile), "Mqtt:Tls:KeyFile", mqtt.Tls.KeyFile, "an existing PEM file");
        Require((mqtt.Tls.CertFile is null) == (mqtt.Tls.KeyFile is null), "Mqtt:Tls:KeyFile", mqtt.Tls.KeyFile, "set together with Mqtt:Tls:CertFile");

        Require(options.Outbox.MaxBytes >= 1024 * 1024, "Outbox:MaxBytes", options.Outbox.MaxBytes, "at least 1048576 (1 MiB)");

        var inference = options.Inference;
        Require(inference.LibraryPath is null || File.Exists(inference.LibraryPath) || Directory.Exists(inference.LibraryPath), "Inference:LibraryPath", inference.LibraryPath, "an existing libonnxruntime file or a directory holding one");
        for (var i = 0; i < inference.Providers.Count; i++)
        {
            Require(ExecutionProviders.Known.Contains(inference.Providers[i].ToLowerInvariant()), $"Inference:Providers:{i}", inference.Providers[i], $"one of {string.Join(", ", ExecutionProviders.Known)}");
        }

        Require(inference.IntraOpThreads >= 0, "Inference:IntraOpThreads", inference.IntraOpThreads, "0 (one per core) or more");

        var models = options.Models;
        Require(!string.IsNullOrWhiteSpace(models.BundledPath), "Models:BundledPath", models.BundledPath, "a directory path");
        Require(models.MaxBytes > 0, "Models:MaxBytes", models.MaxBytes, "a positive number of bytes");
        Require(models.KeepVersions >= 2, "Models:KeepVersions", models.KeepVersions, "2 or more (the active and the previous version)");
        var probation = models.Probation;
        Require(probation.Seconds >= 0, "Models:Probation:Seconds", probation.Seconds, "0 or more");
        Require(probation.MinInferences >= 0, "Models:Probation:MinInferences", probation.MinInferences, "0 or more");
        Require(probation.MaxWaitSeconds >= probation.Seconds, "Models:Probation:MaxWaitSeconds", probation.MaxWaitSeconds, "at least Models:Probation:Seconds");
        Require(probation.MaxErrorRate is >= 0 and <= 1, "Models:Probation:MaxErrorRate", probation.MaxErrorRate, "between 0 and 1");
        Require(probation.MaxLatencyFactor >= 1, "Models:Probation:MaxLatencyFactor", probation.MaxLatencyFactor, "1 or more");

        Require(options.Streams.Count > 0, "Streams", "[]", "a list of at least one stream");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Streams.Count; i++)
        {
            var stream = options.Streams[i];
            var key = $"Streams:{i}";
            Require(IsTopicSegment(stream.Name), $"{key}:Name", stream.Name, "a non-empty name without '/', '+', '#' or control characters");
            Require(names.Add(stream.Name), $"{key}:Name", stream.Name, "unique among the streams");
            Require(IsFileName(stream.Model), $"{key}:Model", stream.Model, "a model name (a directory name: no '/', no '..')");
            Require(s_publishModes.Contains(stream.Publish), $"{key}:Publish", stream.Publish, string.Join(", ", s_publishModes));
            Require(stream.MinScore is >= 0 and <= 1, $"{key}:MinScore", stream.MinScore, "between 0 and 1");
            Require(stream.MaxFps >= 0, $"{key}:MaxFps", stream.MaxFps, "0 (unlimited) or more");
            CheckSource(stream.Source, $"{key}:Source", Require);
            if (stream.Source.Type == "sensor")
            {
                CheckSensor(stream.Source, $"{key}:Source", Require);
                var anomaly = stream.Anomaly;
                Require(anomaly.EnterWindows is >= 1 and <= 1000, $"{key}:Anomaly:EnterWindows", anomaly.EnterWindows, "between 1 and 1000");
                Require(anomaly.LeaveWindows is >= 1 and <= 1000, $"{key}:Anomaly:LeaveWindows", anomaly.LeaveWindows, "between 1 and 1000");
                Require(anomaly.LeaveRatio is > 0 and <= 1, $"{key}:Anomaly:LeaveRatio", anomaly.LeaveRatio, "more than 0 and at most 1");
            }
        }

        return failures;
    }

    private static void CheckSource(SourceOptions source, string key, Action<bool, string, object?, string> require)
    {
        require(s_sourceTypes.Contains(source.Type), $"{key}:Type", source.Type, string.Join(", ", s_sourceTypes));
        require(source.Width is > 0 and <= 8192 && source.Width % 2 == 0, $"{key}:Width", source.Width, "an even number of pixels from 2 to 8192");
        require(source.Height is > 0 and <= 8192 && source.Height % 2 == 0, $"{key}:Height", source.Height, "an even number of pixels from 2 to 8192");
        require(source.Fps is > 0 and <= 240, $"{key}:Fps", source.Fps, "more than 0 and at most 240");
        require(source.StallTimeoutSeconds > 0, $"{key}:StallTimeoutSeconds", source.StallTimeoutSeconds, "more than 0");
        require(s_pixelFormats.Contains(source.PixelFormat), $"{key}:PixelFormat", source.PixelFormat, string.Join(", ", s_pixelFormats));
        if (source.Type == "camera")
        {
            require(!string.IsNullOrWhiteSpace(source.Url), $"{key}:Url", source.Url, "a V4L2 device, an rtsp:// or http:// URL, a file, or an ffmpeg lavfi source such as testsrc");
            require(source.Threads is >= 0 and <= 64, $"{key}:Threads", source.Threads, "0 (ffmpeg's choice) up to 64");
        }
        else if (source.Type == "exec")
        {
            require(!string.IsNullOrWhiteSpace(source.Command), $"{key}:Command", source.Command, "the program that writes raw frames to stdout");
        }
    }

    private static void CheckSensor(SourceOptions source, string key, Action<bool, string, object?, string> require)
    {
        require(s_sensorKinds.Contains(source.Kind), $"{key}:Kind", source.Kind, string.Join(", ", s_sensorKinds));
        if (source.Kind != "mqtt")
        {
            var rateAllowed = source.Kind is "replay" or "exec" ? source.RateHz is >= 0 and <= 100_000 : source.RateHz is > 0 and <= 100_000;
            require(rateAllowed, $"{key}:RateHz", source.RateHz, source.Kind == "replay" ? "0 (the recorded pace) up to 100000" : "more than 0 and at most 100000");
        }

        require(source.Window is >= 1 and <= 65_536, $"{key}:Window", source.Window, "between 1 and 65536 samples");
        require(source.Hop >= 1 && source.Hop <= Math.Max(source.Window, 1), $"{key}:Hop", source.Hop, "between 1 and Window");
        require(source.Channels.Count is >= 1 and <= 1024 && source.Channels.All(c => !string.IsNullOrWhiteSpace(c)), $"{key}:Channels", $"[{string.Join(", ", source.Channels)}]", "a list of 1 to 1024 channel names");
        require(source.BufferSamples is >= 1 and <= 10_000_000, $"{key}:BufferSamples", source.BufferSamples, "between 1 and 10000000");
        switch (source.Kind)
        {
            case "iio" or "hwmon":
                require(!string.IsNullOrWhiteSpace(source.Device), $"{key}:Device", source.Device, $"the {(source.Kind == "iio" ? "IIO device's" : "hwmon chip's")} name (its 'name' file)");
                break;
            case "exec":
                require(!string.IsNullOrWhiteSpace(source.Command), $"{key}:Command", source.Command, "the program that prints one line of numbers per sample");
                break;
            case "mqtt":
                require(!string.IsNullOrWhiteSpace(source.Topic), $"{key}:Topic", source.Topic, "the topic filter the readings arrive on");
                break;
            case "replay":
                require(source.File is not null && System.IO.File.Exists(source.File), $"{key}:File", source.File, "an existing CSV file");
                break;
            default:
                break;
        }

        if (source.Kind is "iio" or "hwmon" or "thermal" or "w1")
        {
            require(Path.IsPathFullyQualified(source.SysfsRoot), $"{key}:SysfsRoot", source.SysfsRoot, "an absolute directory path");
        }

        var sim = source.Sim;
        if (source.Kind == "sim")
        {
            require(sim.FrequencyHz > 0 && sim.FrequencyHz < source.RateHz / 2, $"{key}:Sim:FrequencyHz", sim.FrequencyHz, "more than 0 and below half of RateHz");
            require(sim.Noise >= 0, $"{key}:Sim:Noise", sim.Noise, "0 or more");
            require(sim.AnomalyEverySeconds >= 0, $"{key}:Sim:AnomalyEverySeconds", sim.AnomalyEverySeconds, "0 (none) or more");
            require(sim.AnomalySeconds >= 0 && (sim.AnomalyEverySeconds == 0 || sim.AnomalySeconds < sim.AnomalyEverySeconds), $"{key}:Sim:AnomalySeconds", sim.AnomalySeconds, "0 or more and below AnomalyEverySeconds");
        }
    }

    private static bool IsTopicSegment(string? value) =>
        !string.IsNullOrEmpty(value) && !value.Any(c => c is '/' or '+' or '#' || char.IsControl(c));

    private static bool IsFileName(string? value) =>
        IsTopicSegment(value) && value is not "." and not ".." && !value!.Contains('\\', StringComparison.Ordinal);

    private static string Show(object? value) => value switch
    {
        null => "not set",
        string s => $"'{s}'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "not set",
    };
}
