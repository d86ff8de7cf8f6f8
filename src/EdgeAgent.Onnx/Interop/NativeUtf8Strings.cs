using System.Runtime.InteropServices;
using System.Text;

namespace EdgeAgent.Onnx.Interop;

/// <summary>
/// NUL-terminated UTF-8 copies of a fixed list of strings in one native block, with the array of
/// pointers to them that ONNX Runtime takes (<c>const char* const*</c>). Encoded once; freed by the owner.
/// </summary>
internal sealed unsafe class NativeUtf8Strings
{
    private byte* _block;

    public NativeUtf8Strings(IReadOnlyList<string> values)
    {
        Count = values.Count;
        var pointersBytes = (nuint)(sizeof(byte*) * Math.Max(Count, 1));
        nuint textBytes = 0;
        foreach (var value in values)
        {
            textBytes += (nuint)Encoding.UTF8.GetByteCount(value) + 1;
        }

        _block = (byte*)NativeMemory.Alloc(pointersBytes + textBytes);
        Pointers = (byte**)_block;
        var text = _block + pointersBytes;
        var end = text + textBytes;
        for (var i = 0; i < Count; i++)
        {
            Pointers[i] = text;
            var written = Encoding.UTF8.GetBytes(values[i], new Span<byte>(text, (int)(end - text)));
            text[written] = 0;
            text += written + 1;
        }
    }

    public int Count { get; }

    public byte** Pointers { get; private set; }

    public void Free()
    {
        NativeMemory.Free(_block);
        _block = null;
        Pointers = null;
    }
}
