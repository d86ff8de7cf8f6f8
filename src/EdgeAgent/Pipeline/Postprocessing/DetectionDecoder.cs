using EdgeAgent.Pipeline.Preprocessing;

namespace EdgeAgent.Pipeline.Postprocessing;

/// <summary>
/// Turns a detector's raw outputs into boxes on the original frame: decode (yolox, yolov8 or ssd), threshold,
/// per-class NMS, then map through the preprocessing's letterbox. Buffers are kept between frames; not thread-safe.
/// </summary>
public sealed class DetectionDecoder
{
    private readonly string _format;
    private readonly int _inputWidth;
    private readonly int _inputHeight;
    private readonly float _threshold;
    private readonly float _iou;
    private Detection[] _candidates = new Detection[256];
    private int _count;

    public DetectionDecoder(string format, int inputWidth, int inputHeight, float threshold, float iou)
    {
        _format = format is "yolox" or "yolov8" or "ssd"
            ? format
            : throw new ArgumentException($"postprocess.format is {format ?? "null"}; it must be yolox, yolov8 or ssd", nameof(format));
        _inputWidth = inputWidth;
        _inputHeight = inputHeight;
        _threshold = threshold is >= 0 and <= 1 ? threshold : throw new ArgumentException($"postprocess.threshold is {threshold}; it must be between 0 and 1", nameof(threshold));
        _iou = iou is >= 0 and <= 1 ? iou : throw new ArgumentException($"postprocess.iou is {iou}; it must be between 0 and 1", nameof(iou));
    }

    /// <summary>How many outputs the format reads: ssd reads scores then boxes, the others one head.</summary>
    public int OutputCount => _format == "ssd" ? 2 : 1;

    /// <summary>
    /// Decodes one frame's outputs (<paramref name="first"/> with shape <paramref name="firstShape"/>; for ssd,
    /// <paramref name="second"/> holds the boxes) and returns the kept detections, highest score first. The span is
    /// valid until the next call.
    /// </summary>
    public ReadOnlySpan<Detection> Run(ReadOnlySpan<float> first, IReadOnlyList<long> firstShape, ReadOnlySpan<float> second, FrameToTensorMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(firstShape);
        _count = 0;
        switch (_format)
        {
            case "yolox":
                DecodeYolox(first, firstShape, mapping);
                break;
            case "yolov8":
                DecodeYolov8(first, firstShape, mapping);
                break;
            default:
                DecodeSsd(first, firstShape, second, mapping);
                break;
        }

        var kept = NonMaximumSuppression.Apply(_candidates.AsSpan(0, _count), _iou);
        return _candidates.AsSpan(0, kept);
    }

    /// <summary>[1, cells, 5 + classes]: dx, dy, log w, log h, objectness, class probabilities, over strides 8, 16, 32.</summary>
    private void DecodeYolox(ReadOnlySpan<float> output, IReadOnlyList<long> shape, FrameToTensorMapping mapping)
    {
        RequireRank3(shape, "yolox");
        var cells = (int)shape[1];
        var stride = (int)shape[2];
        var classes = stride - 5;
        var cell = 0;
        foreach (var step in (ReadOnlySpan<int>)[8, 16, 32])
        {
            var columns = _inputWidth / step;
            var rows = _inputHeight / step;
            for (var gy = 0; gy < rows; gy++)
            {
                for (var gx = 0; gx < columns; gx++, cell++)
                {
                    if (cell >= cells)
                    {
                        return;
                    }

                    var row = output.Slice(cell * stride, stride);
                    var (best, probability) = Best(row.Slice(5, classes));
                    var score = row[4] * probability;
                    if (score < _threshold)
                    {
                        continue;
                    }

                    var cx = (row[0] + gx) * step;
                    var cy = (row[1] + gy) * step;
                    var w = MathF.Exp(row[2]) * step;
                    var h = MathF.Exp(row[3]) * step;
                    Add(best, score, cx - (w / 2), cy - (h / 2), cx + (w / 2), cy + (h / 2), mapping);
                }
            }
        }
    }

    /// <summary>[1, 4 + classes, boxes]: centre x, centre y, width, height in input pixels, then class scores (no objectness).</summary>
    private void DecodeYolov8(ReadOnlySpan<float> output, IReadOnlyList<long> shape, FrameToTensorMapping mapping)
    {
        RequireRank3(shape, "yolov8");
        var attributes = (int)shape[1];
        var boxes = (int)shape[2];
        for (var b = 0; b < boxes; b++)
        {
            var best = -1;
            var score = float.NegativeInfinity;
            for (var c = 4; c < attributes; c++)
            {
                var value = output[(c * boxes) + b];
                if (value > score)
                {
                    (best, score) = (c - 4, value);
                }
            }

            if (score < _threshold)
            {
                continue;
            }

            var cx = output[b];
            var cy = output[boxes + b];
            var w = output[(2 * boxes) + b];
            var h = output[(3 * boxes) + b];
            Add(best, score, cx - (w / 2), cy - (h / 2), cx + (w / 2), cy + (h / 2), mapping);
        }
    }

    /// <summary>Scores [1, boxes, classes] with class 0 the background, and boxes [1, boxes, 4] as x1, y1, x2, y2 in 0..1 of the input.</summary>
    private void DecodeSsd(ReadOnlySpan<float> scores, IReadOnlyList<long> shape, ReadOnlySpan<float> boxes, FrameToTensorMapping mapping)
    {
        RequireRank3(shape, "ssd");
        var count = (int)shape[1];
        var classes = (int)shape[2];
        if (boxes.Length < count * 4)
        {
            throw new InvalidOperationException($"ssd boxes hold {boxes.Length} values; {count} boxes need {count * 4}");
        }

        for (var b = 0; b < count; b++)
        {
            for (var c = 1; c < classes; c++)
            {
                var score = scores[(b * classes) + c];
                if (score < _threshold)
                {
                    continue;
                }

                var box = boxes.Slice(b * 4, 4);
                Add(c - 1, score, box[0] * _inputWidth, box[1] * _inputHeight, box[2] * _inputWidth, box[3] * _inputHeight, mapping);
            }
        }
    }

    private static (int Index, float Score) Best(ReadOnlySpan<float> scores)
    {
        var best = 0;
        for (var i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }

        return (best, scores[best]);
    }

    /// <summary>Adds a box given in input pixels (x1, y1, x2, y2), mapped to fractions of the frame and clamped to it.</summary>
    private void Add(int classIndex, float score, float x1, float y1, float x2, float y2, FrameToTensorMapping mapping)
    {
        var (left, top) = mapping.ToFrameFraction(x1, y1);
        var (right, bottom) = mapping.ToFrameFraction(x2, y2);
        left = Math.Clamp(left, 0, 1);
        top = Math.Clamp(top, 0, 1);
        right = Math.Clamp(right, 0, 1);
        bottom = Math.Clamp(bottom, 0, 1);
        if (_count == _candidates.Length)
        {
            Array.Resize(ref _candidates, _candidates.Length * 2);
        }

        _candidates[_count++] = new Detection(classIndex, score, (float)left, (float)top, (float)(right - left), (float)(bottom - top));
    }

    private static void RequireRank3(IReadOnlyList<long> shape, string format)
    {
        if (shape.Count != 3)
        {
            throw new InvalidOperationException($"a {format} output has 3 dimensions; this one has [{string.Join(" x ", shape)}]");
        }
    }
}
