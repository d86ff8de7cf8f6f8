using System.Text;

namespace EdgeAgent.Systemd;

/// <summary>
/// A journal field name, validated once (A-Z, 0-9 and '_', not starting with '_' or a digit, at most 64 characters)
/// and kept as ASCII bytes so that writing an entry copies bytes rather than encoding strings.
/// </summary>
public sealed class JournalFieldName
{
    /// <summary>The longest name journald accepts.</summary>
    public const int MaxLength = 64;

    private readonly byte[] _ascii;

    /// <summary>A field name; throws when journald would reject it.</summary>
    public JournalFieldName(string name)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a journal field name: A-Z, 0-9 and '_', not starting with '_' or a digit, 1 to {MaxLength} characters", nameof(name));
        }

        Name = name;
        _ascii = Encoding.ASCII.GetBytes(name);
    }

    /// <summary>The human-readable message, what `journalctl` prints.</summary>
    public static JournalFieldName Message { get; } = new("MESSAGE");

    /// <summary>The syslog priority, 0 (emergency) to 7 (debug).</summary>
    public static JournalFieldName Priority { get; } = new("PRIORITY");

    /// <summary>The program name, what `journalctl -t` selects.</summary>
    public static JournalFieldName SyslogIdentifier { get; } = new("SYSLOG_IDENTIFIER");

    /// <summary>The name.</summary>
    public string Name { get; }

    internal ReadOnlySpan<byte> Ascii => _ascii;

    /// <summary>Whether journald accepts <paramref name="name"/> from a client.</summary>
    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxLength || name[0] == '_' || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The field a structured logging property becomes: upper-cased, any other character turned into '_'
    /// ("DelaySeconds" is DELAYSECONDS, "EA_STREAM" stays); null when even that is not a valid name.
    /// </summary>
    public static JournalFieldName? FromProperty(string property)
    {
        ArgumentNullException.ThrowIfNull(property);
        if (property.Length is 0 or > MaxLength)
        {
            return null;
        }

        Span<char> name = stackalloc char[property.Length];
        for (var i = 0; i < property.Length; i++)
        {
            var c = char.ToUpperInvariant(property[i]);
            name[i] = char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) ? c : '_';
        }

        return IsValid(name) ? new JournalFieldName(name.ToString()) : null;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
