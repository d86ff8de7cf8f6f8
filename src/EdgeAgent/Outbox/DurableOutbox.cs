using System.Buffers;
using System.Text;
using System.Threading.Channels;
using EdgeAgent.Mqtt;
using EdgeAgent.Pipeline;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Outbox;

/// <summary>
/// Results and events on disk before they are published (CONTRACT.md section 6). A record is accepted once written
/// to its segment file (it survives SIGKILL); fsync per batch bounds what a power cut can take. One loop publishes
/// in order and removes what the broker acknowledged; after a restart, everything unacknowledged is sent again.
/// Full: the oldest records go, counted. A torn tail is cut at start, counted. seq rises by one per key and is
/// never reused: seq.json is saved before any segment is deleted, and records still on disk are counted at start.
/// </summary>
public sealed class DurableOutbox : IAsyncDisposable
{
    private const string CursorFile = "cursor.json";
    private const int MaxPooledRecordBytes = 1024 * 1024;

    private readonly OutboxSettings _settings;
    private readonly IOutboxObserver _observer;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<Segment> _segments = [];
    private readonly Dictionary<string, long> _next = new(StringComparer.Ordinal);
    // A wake-up for the publishing loop: one pending signal is enough, more are dropped.
    private readonly Channel<bool> _available = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly List<(byte[] Utf8, string Text)> _topics = [];

    // Records in flight hold their buffers until acknowledged: a window's worth is more than the shared pool keeps
    // per size, and every miss there would be a new array per record.
    private readonly ArrayPool<byte> _buffers;
    private byte[] _encoded = new byte[64 * 1024];
    private FileStream? _writer;
    private AcknowledgedCursor? _cursor;
    private Segment? _writeSegment;
    private ITimer? _fsyncTimer;
    private int _unsynced;
    private Segment? _readSegment;
    private long _readOffset;
    private long _cursorSegment;
    private long _cursorOffset;
    private int _acknowledgedSinceCursor;
    private long _dropped;
    private long _corrupt;
    private long _writeFailures;
    private long _refused;
    private bool _writeFailedSinceRoll;

    public DurableOutbox(OutboxSettings settings, IOutboxObserver observer, ILogger logger, TimeProvider time)
    {
        _settings = settings;
        _observer = observer;
        _logger = logger;
        _time = time;
        _buffers = ArrayPool<byte>.Create(MaxPooledRecordBytes, settings.PublishWindow + 1);
    }

    /// <summary>Records waiting for the broker's acknowledgement.</summary>
    public long Depth
    {
        get
        {
            lock (_gate)
            {
                long pending = 0;
                foreach (var segment in _segments)
                {
                    pending += segment.Pending;
                }

                return pending;
            }
        }
    }

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return TotalBytes();
            }
        }
    }

    /// <summary>Records given up because the outbox was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Torn or corrupt records cut at start.</summary>
    public long Corrupt => Interlocked.Read(ref _corrupt);

    /// <summary>Records that could not be written (a full disk); nothing queued before them was lost.</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Records the broker refused (too large for it, say); they are not sent again.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Finds what earlier runs left, cuts torn tails, restores seq, and starts a new segment for writing.</summary>
    public void Open()
    {
        Directory.CreateDirectory(_settings.Directory);
        var saved = SequenceStore.Load(_settings.SequenceFile);
        foreach (var (key, value) in saved)
        {
            _next[key] = value;
        }

        var cursorPath = Path.Combine(_settings.Directory, CursorFile);
        (_cursorSegment, _cursorOffset) = AcknowledgedCursor.Load(cursorPath);
        _cursor = new AcknowledgedCursor(cursorPath);
        foreach (var path in Directory.GetFiles(_settings.Directory, "*.seg").Order(StringComparer.Ordinal))
        {
            if (!Segment.TryParseId(path, out var id))
            {
                continue;
            }

            if (id < _cursorSegment)
            {
                File.Delete(path);
                continue;
            }

            var segment = new Segment(id, path) { Sealed = true };
            Scan(segment, id == _cursorSegment ? _cursorOffset : 0);
            if (segment.Pending == 0)
            {
                File.Delete(path);
                continue;
            }

            _segments.Add(segment);
        }

        _readSegment = _segments.FirstOrDefault();
        _readOffset = _readSegment is not null && _readSegment.Id == _cursorSegment ? _cursorOffset : 0;
        StartSegment(_segments.Count > 0 ? _segments[^1].Id + 1 : Math.Max(_cursorSegment, 1));
        _readSegment ??= _writeSegment;
        _fsyncTimer = _time.CreateTimer(_ => SyncFromTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var next = string.Join(", ", _next.Select(p => $"{p.Key}={p.Value}"));
        Log.Opened(_logger, _settings.Directory, Depth, next);
    }

    /// <summary>The next seq of <paramref name="key"/> (a stream, or "events"): one more than the last, from 1.</summary>
    public long NextSeq(string key)
    {
        lock (_gate)
        {
            var next = _next.TryGetValue(key, out var value) ? value : 1;
            _next[key] = next + 1;
            return next;
        }
    }

    /// <summary>Appends one record. False when it could not be written (a full disk): counted and reported, the rest kept.</summary>
    public bool Enqueue(string key, long seq, string topic, int qos, ReadOnlySpan<byte> payload)
    {
        var size = OutboxRecord.HeaderBytes + OutboxRecord.BodyBytes(key, topic, payload.Length);
        if (size - OutboxRecord.HeaderBytes > OutboxRecord.MaxBodyBytes)
        {
            throw new ArgumentException($"a {payload.Length}-byte payload for {topic} is larger than the outbox takes", nameof(payload));
        }

        lock (_gate)
        {
            if (_encoded.Length < size)
            {
                _encoded = new byte[Math.Max(size, _encoded.Length * 2)];
            }

            OutboxRecord.Encode(_encoded.AsSpan(0, size), key, seq, topic, qos, payload);
            if (_writeSegment!.Records > 0 && _writeSegment.Length + size > _settings.SegmentBytes)
            {
                Roll();
            }

            try
            {
                _writer!.Write(_encoded, 0, size);
                _writer.Flush();
            }
            catch (IOException ex)
            {
                // Cut the partial record so the segment stays readable; what was queued before it is untouched.
                TryTruncate(_writer!, _writeSegment.Length);
                Interlocked.Increment(ref _writeFailures);
                _writeFailedSinceRoll = true;
                Log.WriteFailed(_logger, ex.Message);
                _observer.DiskFull(ex.Message);
                return false;
            }

            _writeSegment.Length += size;
            _writeSegment.Records++;
            if (++_unsynced >= _settings.FsyncBatchRecords)
            {
                Sync();
            }
            else if (_unsynced == 1)
            {
                _fsyncTimer!.Change(_settings.FsyncInterval, Timeout.InfiniteTimeSpan);
            }

            EnforceMaxBytes();
        }

        _available.Writer.TryWrite(true);

        return true;
    }

    /// <summary>
    /// Publishes in order, keeping up to the window in flight, until cancelled (then throws
    /// <see cref="OperationCanceledException"/>). Records are read, and acknowledgements applied, a run at a time
    /// under one lock each: the client completes acknowledgements a batch at a time, oldest last, so the loop resumes
    /// once per batch and finds it all acknowledged.
    /// </summary>
    public async Task PublishAsync(IMqttPublisher publisher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        var window = _settings.PublishWindow;
        var inFlight = new Queue<InFlight>(window);
        var read = new InFlight[window];
        var acknowledged = new (Segment Segment, long End)[window];
        var reader = new SegmentReader();
        using var available = new ChannelWait<bool>(_available.Reader, cancellationToken);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // libmosquitto keeps a message published while it is not connected and sends it after a connection,
                // where it can end up behind messages published later: records only leave while connected.
                var connected = publisher.IsConnected;
                if (connected && inFlight.Count < window && ReadRun(reader, read.AsSpan(0, window - inFlight.Count)) is var count and > 0)
                {
                    foreach (var record in read.AsSpan(0, count))
                    {
                        var payload = record.Buffer.AsMemory(record.PayloadOffset, record.PayloadLength);
#pragma warning disable CA2012 // Kept in order and awaited exactly once, oldest first (below), so acknowledgements overlap.
                        inFlight.Enqueue(record with { Ack = publisher.PublishAsync(record.Topic, payload, (MqttQos)record.Qos, retain: false, cancellationToken) });
#pragma warning restore CA2012
                    }

                    continue;
                }

                if (inFlight.TryDequeue(out var oldest))
                {
                    // Awaited here rather than in a helper method, whose state machine would be allocated per record.
                    try
                    {
                        await oldest.Ack.ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        CountRefused(oldest, ex);
                    }
                    finally
                    {
                        _buffers.Return(oldest.Buffer);
                    }

                    var settled = 0;
                    acknowledged[settled++] = (oldest.Segment, oldest.End);
                    while (inFlight.TryPeek(out var next) && next.Ack.IsCompleted)
                    {
                        inFlight.Dequeue();
                        Settle(next);
                        acknowledged[settled++] = (next.Segment, next.End);
                    }

                    Acknowledge(acknowledged.AsSpan(0, settled));
                    continue;
                }

                if (!connected)
                {
                    try
                    {
                        await publisher.WaitUntilConnectedAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is MqttConnectException or ObjectDisposedException)
                    {
                        // The client gave up for good (the client logs why): the records stay queued for the next start.
                        await Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
                    }

                    continue;
                }

                // Idle: let go of a segment that is no longer written, so that once deleted it gives its space back at
                // once; the one being written stays open, as reopening it after every pause allocated.
                if (!reader.Reads(Volatile.Read(ref _writeSegment)))
                {
                    reader.Close();
                }

                await available.WaitAsync().ConfigureAwait(false);
                _available.Reader.TryRead(out _);
            }
        }
        finally
        {
            reader.Dispose();
            foreach (var pending in inFlight)
            {
                _buffers.Return(pending.Buffer);
            }
        }
    }

    /// <summary>Syncs, saves seq and the acknowledged position, and closes the segment.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_fsyncTimer is not null)
        {
            await _fsyncTimer.DisposeAsync().ConfigureAwait(false);
        }

        lock (_gate)
        {
            if (_writer is not null)
            {
                Sync();
                _writer.Dispose();
                _writer = null;
            }

            try
            {
                SequenceStore.Save(_settings.SequenceFile, _next);
            }
            catch (IOException ex)
            {
                Log.WriteFailed(_logger, $"{_settings.SequenceFile} could not be saved: {ex.Message}");
            }

            if (_cursor is not null)
            {
                SaveCursor();
                _cursor.Dispose();
                _cursor = null;
            }
        }
    }

    /// <summary>
    /// Reads the records that follow the read position, as many as <paramref name="records"/> holds and are wholly
    /// written, and moves the position past them.
    /// </summary>
    /// <returns>How many were read.</returns>
    private int ReadRun(SegmentReader reader, Span<InFlight> records)
    {
        Segment segment;
        long offset;
        long readable;
        lock (_gate)
        {
            while (_readSegment is { } current && _readOffset >= current.Length && current.Sealed)
            {
                var next = _segments.IndexOf(current) + 1;
                if (next <= 0 || next >= _segments.Count)
                {
                    break;
                }

                _readSegment = _segments[next];
                _readOffset = 0;
            }

            if (_readSegment is null || _readOffset >= _readSegment.Length)
            {
                return 0;
            }

            (segment, offset, readable) = (_readSegment, _readOffset, _readSegment.Length);
        }

        var count = 0;
        var end = offset;
        try
        {
            while (count < records.Length && end < readable)
            {
                var bodyLength = reader.Read(segment, end, readable, _buffers, out var buffer);
                end += OutboxRecord.HeaderBytes + bodyLength;
                var body = buffer.AsSpan(0, bodyLength);
                var payloadOffset = OutboxRecord.PayloadOffset(body);
                records[count++] = new InFlight(default, buffer, payloadOffset, bodyLength - payloadOffset, TopicText(OutboxRecord.Topic(body)), OutboxRecord.Qos(body), segment, end);
            }
        }
        catch
        {
            foreach (var record in records[..count])
            {
                _buffers.Return(record.Buffer);
            }

            throw;
        }

        lock (_gate)
        {
            if (_readSegment == segment && _readOffset == offset)
            {
                _readOffset = end;
            }
        }

        return count;
    }

    /// <summary>Takes the result of a publish that has completed and gives its buffer back.</summary>
    private void Settle(InFlight record)
    {
        try
        {
#pragma warning disable CA2012 // Completed (checked by the caller), and read exactly once, here.
            record.Ack.GetAwaiter().GetResult();
#pragma warning restore CA2012
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            CountRefused(record, ex);
        }
        finally
        {
            _buffers.Return(record.Buffer);
        }
    }

    private void CountRefused(InFlight record, Exception error)
    {
        Interlocked.Increment(ref _refused);
        Log.Refused(_logger, record.Topic, error.Message);
    }

    /// <summary>Marks a run of published records, in order, as acknowledged by the broker.</summary>
    private void Acknowledge(ReadOnlySpan<(Segment Segment, long End)> records)
    {
        lock (_gate)
        {
            Segment? known = null;
            foreach (var (segment, end) in records)
            {
                if (segment != known && !_segments.Contains(segment) && segment != _writeSegment)
                {
                    continue;
                }

                known = segment;
                segment.Acknowledged++;
                (_cursorSegment, _cursorOffset) = (segment.Id, end);
                _acknowledgedSinceCursor++;
            }

            if (_acknowledgedSinceCursor >= 256)
            {
                SaveCursor();
            }

            // A fully acknowledged write segment is closed early when space is short, so it can be given back now.
            var last = records[^1].Segment;
            if (last == _writeSegment && last.Pending == 0 && (_writeFailedSinceRoll || last.Length >= _settings.SegmentBytes / 4))
            {
                try
                {
                    Roll();
                }
                catch (IOException ex)
                {
                    Log.WriteFailed(_logger, ex.Message);
                }
            }

            ReleaseAcknowledged();
        }
    }

    private void ReleaseAcknowledged()
    {
        while (_segments.Count > 1 && _segments[0].Sealed && _segments[0].Pending == 0)
        {
            var oldest = _segments[0];
            if (oldest == _readSegment)
            {
                if (_readOffset < oldest.Length)
                {
                    return;
                }

                _readSegment = _segments[1];
                _readOffset = 0;
            }

            Delete(oldest);
        }
    }

    private void EnforceMaxBytes()
    {
        while (TotalBytes() > _settings.MaxBytes && _segments.Count > 1 && _segments[0].Sealed)
        {
            var oldest = _segments[0];
            var lost = oldest.Pending;
            if (_readSegment == oldest)
            {
                _readSegment = _segments[1];
                _readOffset = 0;
            }

            Delete(oldest);
            if (lost > 0)
            {
                Interlocked.Add(ref _dropped, lost);
                var reason = $"Outbox:MaxBytes is {_settings.MaxBytes} bytes";
                Log.Dropped(_logger, lost, reason);
                _observer.RecordsDropped(lost, reason);
            }
        }
    }

    private long TotalBytes()
    {
        long total = 0;
        foreach (var segment in _segments)
        {
            total += segment.Length;
        }

        return total;
    }

    private void Delete(Segment segment)
    {
        // Saved first, so that no seq in the deleted records can be handed out again after a crash. On a full disk
        // the segment still goes (it is what frees space); only a crash before the next save could then reuse a seq.
        try
        {
            SequenceStore.Save(_settings.SequenceFile, _next);
        }
        catch (IOException ex)
        {
            Log.WriteFailed(_logger, $"{_settings.SequenceFile} could not be saved: {ex.Message}");
        }

        _segments.Remove(segment);
        File.Delete(segment.Path);
    }

    private void Roll()
    {
        _writeFailedSinceRoll = false;
        Sync();
        _writeSegment!.Sealed = true;
        _writer!.Dispose();
        StartSegment(_writeSegment.Id + 1);
    }

    private void StartSegment(long id)
    {
        var path = Path.Combine(_settings.Directory, Segment.FileName(id));
        _writer = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete, 1, FileOptions.None);
        _writeSegment = new Segment(id, path);
        _segments.Add(_writeSegment);
        Interop.Libc.FsyncDirectory(_settings.Directory);
    }

    private void Sync()
    {
        if (_unsynced > 0)
        {
            _writer!.Flush(flushToDisk: true);
            _unsynced = 0;
        }
    }

    private void SyncFromTimer()
    {
        lock (_gate)
        {
            if (_writer is not null)
            {
                try
                {
                    Sync();
                }
                catch (IOException ex)
                {
                    Log.WriteFailed(_logger, ex.Message);
                }
            }
        }
    }

    /// <summary>Counts the whole records of a segment and cuts anything after the last one that checks out.</summary>
    private void Scan(Segment segment, long acknowledgedUpTo)
    {
        using var handle = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.ReadWrite);
        var length = RandomAccess.GetLength(handle);
        Span<byte> header = stackalloc byte[OutboxRecord.HeaderBytes];
        var body = new byte[64 * 1024];
        long offset = 0;
        while (offset + OutboxRecord.HeaderBytes <= length)
        {
            RandomAccess.Read(handle, header, offset);
            var bodyLength = OutboxRecord.BodyLength(header);
            if (bodyLength < 0 || offset + OutboxRecord.HeaderBytes + bodyLength > length)
            {
                break;
            }

            if (body.Length < bodyLength)
            {
                body = new byte[bodyLength];
            }

            RandomAccess.Read(handle, body.AsSpan(0, bodyLength), offset + OutboxRecord.HeaderBytes);
            if (!OutboxRecord.Verify(header, body.AsSpan(0, bodyLength)))
            {
                break;
            }

            var key = Encoding.UTF8.GetString(OutboxRecord.Key(body));
            var seq = OutboxRecord.Seq(body);
            _next[key] = Math.Max(_next.TryGetValue(key, out var next) ? next : 1, seq + 1);
            offset += OutboxRecord.HeaderBytes + bodyLength;
            segment.Records++;
            if (offset <= acknowledgedUpTo)
            {
                segment.Acknowledged++;
            }
        }

        if (offset < length)
        {
            RandomAccess.SetLength(handle, offset);
            RandomAccess.FlushToDisk(handle);
            Interlocked.Increment(ref _corrupt);
            Log.Corrupt(_logger, segment.Path, length - offset);
            _observer.CorruptionFound(segment.Path, length - offset);
        }

        segment.Length = offset;
    }

    private string TopicText(ReadOnlySpan<byte> utf8)
    {
        foreach (var (bytes, text) in _topics)
        {
            if (utf8.SequenceEqual(bytes))
            {
                return text;
            }
        }

        var topic = Encoding.UTF8.GetString(utf8);
        if (_topics.Count < 1024)
        {
            _topics.Add((utf8.ToArray(), topic));
        }

        return topic;
    }

    private void SaveCursor()
    {
        _acknowledgedSinceCursor = 0;
        try
        {
            _cursor!.Save(_cursorSegment, _cursorOffset);
        }
        catch (IOException ex)
        {
            // An old cursor only means records sent again after a restart: duplicates, recognisable by seq.
            Log.WriteFailed(_logger, $"{Path.Combine(_settings.Directory, CursorFile)} could not be saved: {ex.Message}");
        }
    }

    private static void TryTruncate(FileStream stream, long length)
    {
        try
        {
            stream.SetLength(length);
            stream.Position = length;
        }
        catch (IOException)
        {
        }
    }

    private readonly record struct InFlight(ValueTask Ack, byte[] Buffer, int PayloadOffset, int PayloadLength, string Topic, int Qos, Segment Segment, long End);
}
