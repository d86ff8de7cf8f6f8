using System.Runtime.InteropServices;

namespace EdgeAgent.Pipeline.Preprocessing;

/// <summary>
/// The row-wise path for planar (NCHW) tensors of float, uint8 or int8: per tensor row, the two source rows are
/// blended down once over the columns the crop reads (<see cref="RowBlend"/>), then each channel's run is gathered
/// across and normalised (<see cref="ColumnGather"/>); padding is filled in. The arithmetic is the per-pixel
/// path's, in the same order, so the two give the same bits. Planned once per geometry; a frame allocates nothing.
/// </summary>
internal sealed class PlanarResampler
{
    private readonly FrameGeometry _frame;
    private readonly int _width;
    private readonly int _height;
    private readonly ResampleAxis _columns;
    private readonly ResampleAxis _rows;
    private readonly float[] _gain;
    private readonly float[] _bias;
    private readonly float[] _pad;
    private readonly int[][] _left;
    private readonly int[][] _right;
    private readonly float[] _weight;
    private readonly int _sourceStart;
    private readonly float[] _blended;
    private readonly float[] _converted;
    private readonly TwoRowCache _decodedRows;
    private readonly bool _yuv;

    public PlanarResampler(FrameGeometry frame, int width, int height, ResampleAxis columns, ResampleAxis rows, int[] sourceChannel, float[] gain, float[] bias, float[] pad)
    {
        _frame = frame;
        _width = width;
        _height = height;
        _columns = columns;
        _rows = rows;
        _gain = gain;
        _bias = bias;
        _pad = pad;
        var decoded = frame.DecodedChannels;
        _sourceStart = columns.SourceStart * decoded;
        _blended = new float[(columns.SourceEnd * decoded) - _sourceStart];
        // yuv420p rows are decoded into planes, red, green, blue over the columns read: interleaved, a 640x480 frame took
        // 2.35-2.59 times an rgb24 frame's preprocessing in bench pipeline; in planes 1.93-1.97.
        _yuv = frame.Format == PixelFormat.Yuv420p;
        var span = columns.SourceEnd - columns.SourceStart;
        var sourceStart = _sourceStart;
        var yuv = _yuv;
        int Blended(int column, int channel) => yuv
            ? (channel * span) + column - columns.SourceStart
            : (column * decoded) + channel - sourceStart;
        var content = columns.ContentEnd - columns.ContentStart;
        _weight = columns.Weight.AsSpan(columns.ContentStart, content).ToArray();
        _left = new int[sourceChannel.Length][];
        _right = new int[sourceChannel.Length][];
        for (var c = 0; c < sourceChannel.Length; c++)
        {
            _left[c] = new int[content];
            _right[c] = new int[content];
            for (var i = 0; i < content; i++)
            {
                var x = columns.ContentStart + i;
                _left[c][i] = Blended(columns.First[x], sourceChannel[c]);
                _right[c][i] = Blended(columns.Second[x], sourceChannel[c]);
            }

            // The gather reads without bounds checks: every index must land in the blended row.
            if (content > 0 && (_left[c][0] < 0 || _right[c][content - 1] >= _blended.Length))
            {
                throw new InvalidOperationException($"column plan for channel {c} leaves the blended row of {_blended.Length} elements");
            }
        }

        _converted = new float[width];
        _decodedRows = new TwoRowCache(_blended.Length);
    }

    public void Run<T>(ReadOnlySpan<byte> frame, Span<T> tensor)
        where T : unmanaged
    {
        _decodedRows.Clear();
        var plane = _width * _height;
        var channels = _gain.Length;
        for (var y = 0; y < _height; y++)
        {
            var content = _rows.First[y] >= 0;
            if (content)
            {
                Blend(frame, _rows.First[y], _rows.Second[y], _rows.Weight[y]);
            }

            for (var c = 0; c < channels; c++)
            {
                var destination = tensor.Slice((c * plane) + (y * _width), _width);
                var values = typeof(T) == typeof(float) ? MemoryMarshal.Cast<T, float>(destination) : _converted;
                if (content)
                {
                    values[.._columns.ContentStart].Fill(_pad[c]);
                    ColumnGather.Run(_blended, _left[c], _right[c], _weight, _gain[c], _bias[c], values[_columns.ContentStart.._columns.ContentEnd]);
                    values[_columns.ContentEnd..].Fill(_pad[c]);
                }
                else
                {
                    values.Fill(_pad[c]);
                }

                if (typeof(T) != typeof(float))
                {
                    Narrow(values, destination);
                }
            }
        }
    }

    private static void Narrow<T>(ReadOnlySpan<float> values, Span<T> destination)
        where T : unmanaged
    {
        if (typeof(T) == typeof(byte))
        {
            ByteNarrowing.ToBytes(values, MemoryMarshal.Cast<T, byte>(destination));
        }
        else if (typeof(T) == typeof(sbyte))
        {
            ByteNarrowing.ToSBytes(values, MemoryMarshal.Cast<T, sbyte>(destination));
        }
        else
        {
            throw new NotSupportedException($"{typeof(T).Name} is not a preprocessing output type; use float, byte or sbyte");
        }
    }

    /// <summary>Source rows <paramref name="upper"/> and <paramref name="lower"/> blended into the columns the tensor reads.</summary>
    private void Blend(ReadOnlySpan<byte> frame, int upper, int lower, float weight)
    {
        var decoded = _frame.DecodedChannels;
        var rowBytes = _frame.Width * decoded;
        if (_yuv)
        {
            RowBlend.Floats(Decoded(frame, upper), Decoded(frame, lower), weight, _blended);
            return;
        }

        RowBlend.Bytes(frame.Slice((upper * rowBytes) + _sourceStart), frame.Slice((lower * rowBytes) + _sourceStart), weight, _blended);
    }

    /// <summary>Source row <paramref name="index"/> decoded into planes over the columns the tensor reads, from a two-row cache.</summary>
    private float[] Decoded(ReadOnlySpan<byte> frame, int index)
    {
        if (_decodedRows.Find(index) is { } cached)
        {
            return cached;
        }

        var row = _decodedRows.Replace(index);
        RowDecoder.DecodeYuv420pPlanes(_frame, frame, index, row, _columns.SourceStart);
        return row;
    }
}
