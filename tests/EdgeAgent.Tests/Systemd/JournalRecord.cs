using System.Buffers.Binary;
using System.Text;

namespace EdgeAgent.Tests.Systemd;

/// <summary>One journal native-protocol datagram decoded field by field, remembering which fields used the binary-safe form.</summary>
internal sealed class JournalRecord
{
    private readonly List<(string Name, string Value, bool Binary)> _fields = [];

    public static JournalRecord Parse(ReadOnlySpan<byte> datagram)
    {
        var record = new JournalRecord();
        while (!datagram.IsEmpty)
        {
            var end = datagram.IndexOfAny((byte)'=', (byte)'\n');
            Assert.True(end > 0, "a field name ends at '=' or a newline");
            var name = Encoding.ASCII.GetString(datagram[..end]);
            if (datagram[end] == (byte)'=')
            {
                var rest = datagram[(end + 1)..];
                var newline = rest.IndexOf((byte)'\n');
                Assert.True(newline >= 0, $"{name}: a plain value ends at a newline");
                record._fields.Add((name, Encoding.UTF8.GetString(rest[..newline]), false));
                datagram = rest[(newline + 1)..];
            }
            else
            {
                var length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(datagram.Slice(end + 1, 8)));
                var value = datagram.Slice(end + 9, length);
                Assert.Equal((byte)'\n', datagram[end + 9 + length]);
                record._fields.Add((name, Encoding.UTF8.GetString(value), true));
                datagram = datagram[(end + 9 + length + 1)..];
            }
        }

        return record;
    }

    public IEnumerable<string> Names => _fields.Select(f => f.Name);

    /// <summary>The value of a field that must appear exactly once.</summary>
    public string this[string name] => Assert.Single(_fields, f => f.Name == name).Value;

    /// <summary>The value of a field, or null when the record has none.</summary>
    public string? Find(string name) => _fields.Find(f => f.Name == name).Value;

    public bool IsBinary(string name) => Assert.Single(_fields, f => f.Name == name).Binary;
}
