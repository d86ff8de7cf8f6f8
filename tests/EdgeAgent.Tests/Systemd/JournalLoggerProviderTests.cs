using EdgeAgent.Systemd;
using EdgeAgent.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeAgent.Tests.Systemd;

/// <summary>Entries sent through the journald logger provider to a socket the test binds, decoded field by field.</summary>
public sealed class JournalLoggerProviderTests : IDisposable
{
    private readonly DatagramListener _journal = DatagramListener.InTempDirectory("journal");
    private readonly JournalLoggerProvider _provider;
    private readonly ILoggerFactory _factory;
    private readonly ILogger _logger;

    public JournalLoggerProviderTests()
    {
        _provider = new JournalLoggerProvider(Options.Create(new JournalLoggerOptions { SocketPath = _journal.Address }));
        _factory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(_provider));
        _logger = _factory.CreateLogger("EdgeAgent.Sources.CameraSource");
    }

    [Fact]
    public void A_LoggerMessage_entry_carries_message_priority_identifier_event_and_each_property_as_a_field()
    {
        JournalTestLog.SourceLost(_logger, "door", "ffmpeg exited with code 1");

        var entry = Next();
        Assert.Equal("Stream door: source lost: ffmpeg exited with code 1", entry["MESSAGE"]);
        Assert.Equal("4", entry["PRIORITY"]);
        Assert.Equal("edge-agent", entry["SYSLOG_IDENTIFIER"]);
        Assert.Equal("EdgeAgent.Sources.CameraSource", entry["LOGGER"]);
        Assert.Equal("4002", entry["EVENT_ID"]);
        Assert.Equal("SourceLost", entry["CODE_FUNC"]);
        Assert.Equal("door", entry["EA_STREAM"]);
        Assert.Equal("ffmpeg exited with code 1", entry["REASON"]);
        Assert.DoesNotContain(entry.Names, name => name.Contains("ORIGINAL", StringComparison.Ordinal));
        Assert.False(_journal.HasPending);
    }

    [Fact]
    public void EA_properties_of_scopes_become_fields_other_scope_keys_do_not_and_the_call_wins_over_a_scope()
    {
        using (_logger.BeginScope(new Dictionary<string, object?>
        {
            ["EA_EVENT"] = "model_rolled_back",
            ["EA_MODEL"] = "mobilenetv2",
            ["EA_MODEL_VERSION"] = 7,
            ["EA_UPDATE_ID"] = "upd-2031",
            ["EA_STREAM"] = "yard",
            ["RequestPath"] = "/not/a/field",
        }))
        {
            JournalTestLog.SourceLost(_logger, "door", "stalled");
        }

        var entry = Next();
        Assert.Equal("model_rolled_back", entry["EA_EVENT"]);
        Assert.Equal("mobilenetv2", entry["EA_MODEL"]);
        Assert.Equal("7", entry["EA_MODEL_VERSION"]);
        Assert.Equal("upd-2031", entry["EA_UPDATE_ID"]);
        Assert.Equal("door", entry["EA_STREAM"]);
        Assert.DoesNotContain("REQUESTPATH", entry.Names);
    }

    [Theory]
    [InlineData(LogLevel.Trace, "7")]
    [InlineData(LogLevel.Debug, "7")]
    [InlineData(LogLevel.Information, "6")]
    [InlineData(LogLevel.Warning, "4")]
    [InlineData(LogLevel.Error, "3")]
    [InlineData(LogLevel.Critical, "2")]
    public void The_level_becomes_the_syslog_PRIORITY(LogLevel level, string priority)
    {
        JournalTestLog.Text(_logger, level, "hello");

        Assert.Equal(priority, Next()["PRIORITY"]);
    }

    [Fact]
    public void An_8000_character_message_arrives_whole()
    {
        var text = string.Concat(Enumerable.Range(0, 8000).Select(i => (char)('a' + (i % 26))));

        JournalTestLog.Text(_logger, LogLevel.Information, text);

        var entry = Next();
        Assert.Equal(8000, entry["MESSAGE"].Length);
        Assert.Equal(text, entry["MESSAGE"]);
        Assert.False(entry.IsBinary("MESSAGE"));
    }

    [Fact]
    public void A_message_with_newlines_uses_the_binary_safe_form_and_arrives_exactly()
    {
        const string Text = "first line\nsecond line\n\tindented, then a trailing newline\n";

        JournalTestLog.Text(_logger, LogLevel.Information, Text);

        var entry = Next();
        Assert.Equal(Text, entry["MESSAGE"]);
        Assert.True(entry.IsBinary("MESSAGE"));
        Assert.False(entry.IsBinary("PRIORITY"));
    }

    [Fact]
    public void An_exception_gets_its_type_and_its_full_text()
    {
        InvalidOperationException thrown;
        try
        {
            throw new InvalidOperationException("the session is gone");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        JournalTestLog.InferenceFailed(_logger, 1200, thrown);

        var entry = Next();
        Assert.Equal("Inference failed after 1200 frames", entry["MESSAGE"]);
        Assert.Equal("3", entry["PRIORITY"]);
        Assert.Equal("1200", entry["FRAMES"]);
        Assert.Equal("System.InvalidOperationException", entry["EXCEPTION_TYPE"]);
        Assert.Equal(thrown.ToString(), entry["EXCEPTION"]);
        Assert.True(entry.IsBinary("EXCEPTION"));
    }

    [Fact]
    public void An_entry_too_large_for_one_datagram_is_sent_with_its_message_capped()
    {
        var text = new string('x', 200_000);
        using (_logger.BeginScope(new Dictionary<string, object?> { ["EA_STREAM"] = new string('s', 5000) }))
        {
            JournalTestLog.Text(_logger, LogLevel.Warning, text);
        }

        var entry = Next();
        Assert.Equal(JournalLogger.MaxMessageBytes, entry["MESSAGE"].Length);
        Assert.Equal(JournalLogger.MaxPropertyBytes, entry["EA_STREAM"].Length);
        Assert.Equal("4", entry["PRIORITY"]);
        Assert.Equal(0, _provider.DroppedEntries);
    }

    [Fact]
    public void A_capped_value_is_cut_at_a_character_boundary()
    {
        var text = new string('€', 20_000);

        JournalTestLog.Text(_logger, LogLevel.Information, text);

        Assert.Equal(new string('€', JournalLogger.MaxMessageBytes / 3), Next()["MESSAGE"]);
    }

    [Fact]
    public async Task Entries_from_several_threads_arrive_whole()
    {
        const int Threads = 4;
        const int PerThread = 20;
        var writers = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                JournalTestLog.SourceLost(_logger, $"cam{t}", $"entry {i}");
            }
        })).ToArray();

        var received = Enumerable.Range(0, Threads * PerThread).Select(_ => Next()).ToList();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(10));

        foreach (var entry in received)
        {
            Assert.Equal($"Stream {entry["EA_STREAM"]}: source lost: {entry["REASON"]}", entry["MESSAGE"]);
        }

        Assert.Equal(PerThread, received.Count(e => e["EA_STREAM"] == "cam3"));
    }

    [Fact]
    public void Entries_that_cannot_be_sent_are_counted_not_thrown()
    {
        using var provider = new JournalLoggerProvider(Options.Create(new JournalLoggerOptions { SocketPath = _journal.Address + ".missing" }));
        var logger = provider.CreateLogger("test");

        JournalTestLog.SourceLost(logger, "door", "one");
        JournalTestLog.SourceLost(logger, "door", "two");

        Assert.Equal(2, provider.DroppedEntries);
    }

    [Fact]
    public void Logging_allocates_nothing_beyond_the_formatted_message()
    {
        var logger = _provider.CreateLogger("EdgeAgent.Pipeline");
        var state = new List<KeyValuePair<string, object?>> { new("EA_STREAM", "door"), new("Frames", "12") };

        // The first pass takes the one-time costs (tiering, lazy statics); the second must allocate nothing.
        LogAndReceive(logger, state, 300);

        Assert.Equal(0, LogAndReceive(logger, state, 100));
    }

    /// <summary>Logs <paramref name="count"/> entries, receiving each at once (the test socket's queue may hold as few as
    /// 10 datagrams, net.unix.max_dgram_qlen), and returns the bytes the log calls alone allocated.</summary>
    private long LogAndReceive(ILogger logger, List<KeyValuePair<string, object?>> state, int count)
    {
        const string Message = "steady";
        var allocated = 0L;
        for (var i = 0; i < count; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            logger.Log(LogLevel.Information, new EventId(3052, "Steady"), state, null, (_, _) => Message);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal("door", JournalRecord.Parse(_journal.Receive())["EA_STREAM"]);
        }

        return allocated;
    }

    private JournalRecord Next() => JournalRecord.Parse(_journal.Receive());

    public void Dispose()
    {
        _factory.Dispose();
        _provider.Dispose();
        _journal.Dispose();
    }
}
