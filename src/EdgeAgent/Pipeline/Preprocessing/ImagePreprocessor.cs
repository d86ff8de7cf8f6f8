using EdgeAgent.Protocol;

namespace EdgeAgent.Pipeline.Preprocessing;

/// <summary>
/// Turns frames of one geometry into one model's input tensor: resize (stretch, letterbox or crop, bilinear with
/// half-pixel centres), colour order, normalisation, layout and element type, all planned once so that a frame costs
/// no allocation. One instance per stream and model; not thread-safe.
/// </summary>
public sealed class ImagePreprocessor
{
    private const float LumaR = 0.299f;
    private const float LumaG = 0.587f;
    private const float LumaB = 0.114f;

    private readonly FrameGeometry _frame;
    private readonly int _width;
    private readonly int _height;
    private readonly int _channels;
    private readonly bool _planar;
    private readonly int[] _sourceChannel;
    private readonly bool _lumaFromColour;
    private readonly ResampleAxis _columns;
    private readonly ResampleAxis _rows;
    private readonly float[] _gain;
    private readonly float[] _bias;
    private readonly float[] _pad;
    private readonly TwoRowCache _decodedRows;
    private readonly PlanarResampler? _planarRows;

    private ImagePreprocessor(InputDescriptor input, FrameGeometry frame, FrameToTensorMapping mapping)
    {
        _frame = frame;
        _width = input.Width;
        _height = input.Height;
        Mapping = mapping;
        _planar = input.Layout == "NCHW";
        var decoded = frame.DecodedChannels;
        _channels = input.Color == "gray" ? 1 : 3;
        _lumaFromColour = _channels == 1 && decoded == 3;
        _sourceChannel = (input.Color, decoded) switch
        {
            (_, 1) => new int[_channels],
            // Decoded rows keep the frame's byte order: only a bgr24 frame holds blue first.
            ("bgr", _) => frame.Format == PixelFormat.Bgr24 ? [0, 1, 2] : [2, 1, 0],
            _ => frame.Format == PixelFormat.Bgr24 ? [2, 1, 0] : [0, 1, 2],
        };

        _columns = ResampleAxis.For(_width, frame.Width, mapping.ScaleX, mapping.OffsetX);
        _rows = ResampleAxis.For(_height, frame.Height, mapping.ScaleY, mapping.OffsetY);
        _gain = new float[_channels];
        _bias = new float[_channels];
        _pad = new float[_channels];
        for (var c = 0; c < _channels; c++)
        {
            var mean = input.Mean?[c] ?? 0f;
            var std = input.Std?[c] ?? 1f;
            _gain[c] = input.Scale / std;
            _bias[c] = -mean / std;
            _pad[c] = (input.PadValue * _gain[c]) + _bias[c];
        }

        _decodedRows = new TwoRowCache(frame.Width * decoded);

        // Planar tensors (all but NHWC and gray-from-colour models) take the row-wise vector path; the per-pixel
        // path below does the same arithmetic in the same order for the rest.
        _planarRows = _planar && !_lumaFromColour
            ? new PlanarResampler(frame, _width, _height, _columns, _rows, _sourceChannel, _gain, _bias, _pad)
            : null;
    }

    /// <summary>How frame pixels map into the tensor, to map boxes back.</summary>
    public FrameToTensorMapping Mapping { get; }

    /// <summary>Elements in the tensor this writes.</summary>
    public int TensorElements => _width * _height * _channels;

    /// <summary>Plans the conversion, checking every field of <paramref name="input"/> it uses.</summary>
    /// <exception cref="ArgumentException">A descriptor field is out of range; the message names it and what is allowed.</exception>
    public static ImagePreprocessor Create(InputDescriptor input, FrameGeometry frame)
    {
        ArgumentNullException.ThrowIfNull(input);
        Validate(input, frame);
        var mapping = FrameToTensorMapping.For(input.Resize, frame.Width, frame.Height, input.Width, input.Height, input.CropFrom, input.PadAnchor);
        return new ImagePreprocessor(input, frame, mapping);
    }

    /// <summary>Writes one frame into <paramref name="tensor"/> (float, byte or sbyte elements, as the descriptor's dtype).</summary>
    public void Run<T>(ReadOnlySpan<byte> frame, Span<T> tensor)
        where T : unmanaged
    {
        if (frame.Length < _frame.ByteCount)
        {
            throw new ArgumentException($"a {_frame.Width}x{_frame.Height} {_frame.Format} frame has {_frame.ByteCount} bytes, got {frame.Length}", nameof(frame));
        }

        if (tensor.Length < TensorElements)
        {
            throw new ArgumentException($"the tensor needs {TensorElements} elements, got {tensor.Length}", nameof(tensor));
        }

        if (_planarRows is not null)
        {
            _planarRows.Run(frame, tensor);
            return;
        }

        _decodedRows.Clear();

        var decoded = _frame.DecodedChannels;
        Span<float> pixel = stackalloc float[3];
        for (var y = 0; y < _height; y++)
        {
            if (_rows.First[y] < 0)
            {
                for (var x = 0; x < _width; x++)
                {
                    StorePixel(tensor, x, y, _pad);
                }

                continue;
            }

            var top = Row(frame, _rows.First[y]);
            var bottom = Row(frame, _rows.Second[y]);
            var wy = _rows.Weight[y];
            for (var x = 0; x < _width; x++)
            {
                var x0 = _columns.First[x];
                if (x0 < 0)
                {
                    StorePixel(tensor, x, y, _pad);
                    continue;
                }

                var left = x0 * decoded;
                var right = _columns.Second[x] * decoded;
                var wx = _columns.Weight[x];
                if (_lumaFromColour)
                {
                    var r = Bilinear(top, bottom, left, right, wx, wy);
                    var g = Bilinear(top, bottom, left + 1, right + 1, wx, wy);
                    var b = Bilinear(top, bottom, left + 2, right + 2, wx, wy);
                    pixel[0] = ((LumaR * r) + (LumaG * g) + (LumaB * b)) * _gain[0] + _bias[0];
                }
                else
                {
                    for (var c = 0; c < _channels; c++)
                    {
                        var s = _sourceChannel[c];
                        pixel[c] = (Bilinear(top, bottom, left + s, right + s, wx, wy) * _gain[c]) + _bias[c];
                    }
                }

                StorePixel(tensor, x, y, pixel);
            }
        }
    }

    /// <summary>Down first, then across: the order the row-wise path takes, so both give the same bits.</summary>
    private static float Bilinear(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, int left, int right, float wx, float wy)
    {
        var leftColumn = top[left] + ((bottom[left] - top[left]) * wy);
        var rightColumn = top[right] + ((bottom[right] - top[right]) * wy);
        return leftColumn + ((rightColumn - leftColumn) * wx);
    }

    private void StorePixel<T>(Span<T> tensor, int x, int y, ReadOnlySpan<float> values)
        where T : unmanaged
    {
        var plane = _width * _height;
        var position = (y * _width) + x;
        for (var c = 0; c < _channels; c++)
        {
            var index = _planar ? (c * plane) + position : (position * _channels) + c;
            Store(ref tensor[index], values[c]);
        }
    }

    private static void Store<T>(ref T target, float value)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            System.Runtime.CompilerServices.Unsafe.As<T, float>(ref target) = value;
        }
        else if (typeof(T) == typeof(byte))
        {
            System.Runtime.CompilerServices.Unsafe.As<T, byte>(ref target) = (byte)Math.Clamp(MathF.Round(value), 0f, 255f);
        }
        else if (typeof(T) == typeof(sbyte))
        {
            System.Runtime.CompilerServices.Unsafe.As<T, sbyte>(ref target) = (sbyte)Math.Clamp(MathF.Round(value), -128f, 127f);
        }
        else
        {
            throw new NotSupportedException($"{typeof(T).Name} is not a preprocessing output type; use float, byte or sbyte");
        }
    }

    /// <summary>Source row <paramref name="index"/> decoded, from a two-row cache (output rows visit source rows in order).</summary>
    private float[] Row(ReadOnlySpan<byte> frame, int index)
    {
        if (_decodedRows.Find(index) is { } cached)
        {
            return cached;
        }

        var row = _decodedRows.Replace(index);
        RowDecoder.Decode(_frame, frame, index, row);
        return row;
    }

    private static void Validate(InputDescriptor input, FrameGeometry frame)
    {
        if (frame.Width <= 0 || frame.Height <= 0)
        {
            throw new ArgumentException($"frame size {frame.Width}x{frame.Height} must be positive", nameof(frame));
        }

        Require(input.Width > 0, "input.width", input.Width, "a positive number of pixels");
        Require(input.Height > 0, "input.height", input.Height, "a positive number of pixels");
        Require(input.Layout is "NCHW" or "NHWC", "input.layout", input.Layout, "NCHW or NHWC for images");
        Require(input.Color is "rgb" or "bgr" or "gray", "input.color", input.Color, "rgb, bgr or gray");
        Require(input.Dtype is "float32" or "uint8" or "int8", "input.dtype", input.Dtype, "float32, uint8 or int8");
        Require(input.Resize is "stretch" or "letterbox" or "crop", "input.resize", input.Resize, "stretch, letterbox or crop");
        Require(input.PadAnchor is "center" or "top_left", "input.pad_anchor", input.PadAnchor, "center or top_left");
        Require(input.CropFrom is null or > 0, "input.crop_from", input.CropFrom, "a positive number of pixels");
        Require(input.CropFrom is null || input.CropFrom >= Math.Min(input.Width, input.Height), "input.crop_from", input.CropFrom, "at least the input's shorter side");
        var channels = input.Color == "gray" ? 1 : 3;
        Require(input.Mean is null || input.Mean.Count == channels, "input.mean", Show(input.Mean), $"{channels} values, one per channel");
        Require(input.Std is null || input.Std.Count == channels, "input.std", Show(input.Std), $"{channels} values, one per channel");
        Require(input.Std is null || input.Std.All(s => s != 0 && float.IsFinite(s)), "input.std", Show(input.Std), "finite, non-zero values");
        Require(float.IsFinite(input.Scale) && input.Scale != 0, "input.scale", input.Scale, "a finite, non-zero number");
    }

    private static string Show(IReadOnlyList<float>? values) => values is null ? "null" : $"[{string.Join(", ", values)}]";

    private static void Require(bool condition, string field, object? value, string allowed)
    {
        if (!condition)
        {
            throw new ArgumentException($"{field} is {value ?? "null"}; it must be {allowed}");
        }
    }
}
