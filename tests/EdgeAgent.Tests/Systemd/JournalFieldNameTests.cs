using EdgeAgent.Systemd;

namespace EdgeAgent.Tests.Systemd;

public sealed class JournalFieldNameTests
{
    [Theory]
    [InlineData("MESSAGE")]
    [InlineData("EA_MODEL_VERSION")]
    [InlineData("A1")]
    public void Valid_names_are_accepted(string name) => Assert.Equal(name, new JournalFieldName(name).Name);

    [Theory]
    [InlineData("")]
    [InlineData("_PID")]
    [InlineData("1ST")]
    [InlineData("lower")]
    [InlineData("EA-STREAM")]
    [InlineData("ÄPFEL")]
    public void Invalid_names_are_refused(string name) => Assert.Throws<ArgumentException>(() => new JournalFieldName(name));

    [Fact]
    public void A_name_longer_than_64_characters_is_refused()
    {
        Assert.True(JournalFieldName.IsValid(new string('A', 64)));
        Assert.False(JournalFieldName.IsValid(new string('A', 65)));
    }

    [Theory]
    [InlineData("EA_STREAM", "EA_STREAM")]
    [InlineData("DelaySeconds", "DELAYSECONDS")]
    [InlineData("model.path", "MODEL_PATH")]
    [InlineData("{OriginalFormat}", null)]
    [InlineData("_hidden", null)]
    [InlineData("2nd", null)]
    public void Logging_properties_become_upper_case_fields_or_none(string property, string? expected) =>
        Assert.Equal(expected, JournalFieldName.FromProperty(property)?.Name);
}
