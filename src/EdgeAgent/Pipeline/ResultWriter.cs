using System.Buffers;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Models;
using EdgeAgent.Onnx;

namespace EdgeAgent.Pipeline;

/// <summary>
/// Writes one stream's result payloads (CONTRACT.md section 6) with a Utf8JsonWriter into a buffer reused from
/// frame to frame; names and labels are encoded once.
/// </summary>
public sealed class ResultWriter : IDisposable
{
    private static readonly JsonEncodedText s_device = JsonEncodedText.Encode("device");
    private static readonly JsonEncodedText s_stream = JsonEncodedText.Encode("stream");
    private static readonly JsonEncodedText s_seq = JsonEncodedText.Encode("seq");
    private static readonly JsonEncodedText s_ts = JsonEncodedText.Encode("ts");
    private static readonly JsonEncodedText s_model = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText s_name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText s_version = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText s_sha256 = JsonEncodedText.Encode("sha256");
    private static readonly JsonEncodedText s_task = JsonEncodedText.Encode("task");
    private static readonly JsonEncodedText s_top = JsonEncodedText.Encode("top");
    private static readonly JsonEncodedText s_detections = JsonEncodedText.Encode("detections");
    private static readonly JsonEncodedText s_label = JsonEncodedText.Encode("label");
    private static readonly JsonEncodedText s_index = JsonEncodedText.Encode("index");
    private static readonly JsonEncodedText s_score = JsonEncodedText.Encode("score");
    private static readonly JsonEncodedText s_box = JsonEncodedText.Encode("box");
    private static readonly JsonEncodedText s_x = JsonEncodedText.Encode("x");
    private static readonly JsonEncodedText s_y = JsonEncodedText.Encode("y");
    private static readonly JsonEncodedText s_w = JsonEncodedText.Encode("w");
    private static readonly JsonEncodedText s_h = JsonEncodedText.Encode("h");
    private static readonly JsonEncodedText s_timing = JsonEncodedText.Encode("timing_ms");
    private static readonly JsonEncodedText s_pre = JsonEncodedText.Encode("pre");
    private static readonly JsonEncodedText s_infer = JsonEncodedText.Encode("infer");
    private static readonly JsonEncodedText s_post = JsonEncodedText.Encode("post");
    private static readonly JsonEncodedText s_total = JsonEncodedText.Encode("total");
    private static readonly JsonEncodedText s_frame = JsonEncodedText.Encode("frame");
    private static readonly JsonEncodedText s_width = JsonEncodedText.Encode("width");
    private static readonly JsonEncodedText s_height = JsonEncodedText.Encode("height");
    private static readonly JsonEncodedText s_outputs = JsonEncodedText.Encode("outputs");
    private static readonly JsonEncodedText s_shape = JsonEncodedText.Encode("shape");
    private static readonly JsonEncodedText s_data = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText s_threshold = JsonEncodedText.Encode("threshold");
    private static readonly JsonEncodedText s_anomaly = JsonEncodedText.Encode("anomaly");
    private static readonly JsonEncodedText s_window = JsonEncodedText.Encode("window");
    private static readonly JsonEncodedText s_startTs = JsonEncodedText.Encode("start_ts");
    private static readonly JsonEncodedText s_endTs = JsonEncodedText.Encode("end_ts");
    private static readonly JsonEncodedText s_samples = JsonEncodedText.Encode("samples");

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText _deviceValue;
    private readonly JsonEncodedText _streamValue;
    private readonly JsonEncodedText _modelName;
    private readonly JsonEncodedText _modelSha256;
    private readonly JsonEncodedText _task;
    private readonly JsonEncodedText[] _labels;
    private readonly int _modelVersion;

    public ResultWriter(string device, string stream, ModelPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        _deviceValue = JsonEncodedText.Encode(device);
        _streamValue = JsonEncodedText.Encode(stream);
        _modelName = JsonEncodedText.Encode(package.Name);
        _modelSha256 = JsonEncodedText.Encode(package.Sha256);
        _modelVersion = package.Version;
        _task = JsonEncodedText.Encode(package.Descriptor.Task);
        _labels = [.. package.Labels.Select(l => JsonEncodedText.Encode(l))];
    }

    /// <summary>The payload for one result; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Write(long seq, InferenceResult result, int frameWidth, int frameHeight, IReadOnlyList<OrtTensor>? rawOutputs = null, IReadOnlyList<NodeInfo>? rawInfo = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        var json = _json;
        json.WriteStartObject();
        json.WriteString(s_device, _deviceValue);
        json.WriteString(s_stream, _streamValue);
        json.WriteNumber(s_seq, seq);
        WriteTimestamp(s_ts, result.Timestamp);
        json.WriteStartObject(s_model);
        json.WriteString(s_name, _modelName);
        json.WriteNumber(s_version, _modelVersion);
        json.WriteString(s_sha256, _modelSha256);
        json.WriteEndObject();
        json.WriteString(s_task, _task);
        if (result.IsWindow)
        {
            json.WriteNumber(s_score, Math.Round(result.Score, 5));
            json.WriteNumber(s_threshold, Math.Round(result.Threshold, 5));
            json.WriteBoolean(s_anomaly, result.Anomalous);
        }
        else if (result.TopCount > 0)
        {
            json.WriteStartArray(s_top);
            foreach (var entry in result.Top)
            {
                json.WriteStartObject();
                WriteLabel(entry.Index);
                json.WriteNumber(s_index, entry.Index);
                json.WriteNumber(s_score, Math.Round(entry.Score, 4));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }
        else if (rawOutputs is null)
        {
            json.WriteStartArray(s_detections);
            foreach (var detection in result.Detections)
            {
                json.WriteStartObject();
                WriteLabel(detection.ClassIndex);
                json.WriteNumber(s_index, detection.ClassIndex);
                json.WriteNumber(s_score, Math.Round(detection.Score, 4));
                json.WriteStartObject(s_box);
                json.WriteNumber(s_x, Math.Round(detection.X, 4));
                json.WriteNumber(s_y, Math.Round(detection.Y, 4));
                json.WriteNumber(s_w, Math.Round(detection.Width, 4));
                json.WriteNumber(s_h, Math.Round(detection.Height, 4));
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }
        else
        {
            WriteRaw(rawOutputs, rawInfo!);
        }

        json.WriteStartObject(s_timing);
        json.WriteNumber(s_pre, Math.Round(result.PreMs, 2));
        json.WriteNumber(s_infer, Math.Round(result.InferMs, 2));
        json.WriteNumber(s_post, Math.Round(result.PostMs, 2));
        json.WriteNumber(s_total, Math.Round(result.TotalMs, 2));
        json.WriteEndObject();
        if (result.IsWindow)
        {
            json.WriteStartObject(s_window);
            WriteTimestamp(s_startTs, result.WindowStart);
            WriteTimestamp(s_endTs, result.WindowEnd);
            json.WriteNumber(s_samples, result.WindowSamples);
            json.WriteEndObject();
        }
        else
        {
            json.WriteStartObject(s_frame);
            json.WriteNumber(s_index, result.FrameIndex);
            json.WriteNumber(s_width, frameWidth);
            json.WriteNumber(s_height, frameHeight);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.Flush();
        return _buffer.WrittenMemory;
    }

    public void Dispose() => _json.Dispose();

    private void WriteTimestamp(JsonEncodedText name, DateTimeOffset value)
    {
        Span<byte> timestamp = stackalloc byte[32];
        value.UtcDateTime.TryFormat(timestamp, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        _json.WriteString(name, timestamp[..written]);
    }

    private void WriteValues(OrtTensor output)
    {
        switch (output.ElementType)
        {
            case TensorElementType.Float32:
                foreach (var value in output.AsSpan<float>())
                {
                    // JSON has no NaN or infinity; null marks them.
                    if (float.IsFinite(value))
                    {
                        _json.WriteNumberValue(value);
                    }
                    else
                    {
                        _json.WriteNullValue();
                    }
                }

                break;
            case TensorElementType.Int64:
                foreach (var value in output.AsSpan<long>())
                {
                    _json.WriteNumberValue(value);
                }

                break;
            case TensorElementType.Int32:
                foreach (var value in output.AsSpan<int>())
                {
                    _json.WriteNumberValue(value);
                }

                break;
            case TensorElementType.UInt8:
                foreach (var value in output.AsSpan<byte>())
                {
                    _json.WriteNumberValue(value);
                }

                break;
            case TensorElementType.Int8:
                foreach (var value in output.AsSpan<sbyte>())
                {
                    _json.WriteNumberValue(value);
                }

                break;
            case TensorElementType.Bool:
                foreach (var value in output.AsSpan<bool>())
                {
                    _json.WriteBooleanValue(value);
                }

                break;
            default:
                throw new NotSupportedException($"raw output of {output.ElementType.ToName()} elements cannot be published");
        }
    }

    private void WriteLabel(int index)
    {
        if ((uint)index < (uint)_labels.Length)
        {
            _json.WriteString(s_label, _labels[index]);
        }
        else
        {
            _json.WriteString(s_label, index.ToString(CultureInfo.InvariantCulture));
        }
    }

    private void WriteRaw(IReadOnlyList<OrtTensor> outputs, IReadOnlyList<NodeInfo> info)
    {
        _json.WriteStartObject(s_outputs);
        for (var i = 0; i < outputs.Count; i++)
        {
            _json.WriteStartObject(info[i].Name);
            _json.WriteStartArray(s_shape);
            foreach (var dimension in outputs[i].Shape)
            {
                _json.WriteNumberValue(dimension);
            }

            _json.WriteEndArray();
            _json.WriteStartArray(s_data);
            WriteValues(outputs[i]);

            _json.WriteEndArray();
            _json.WriteEndObject();
        }

        _json.WriteEndObject();
    }
}
