using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace EdgeAgent.Mqtt.Outbox;

/// <summary>
/// A durable publish queue: each record is appended to a segment file (length, CRC-32C, body) before it is published,
/// so an accepted record survives SIGKILL; fsync per batch bounds what a power loss can take. <see cref="RunAsync"/>
/// publishes in order and removes records once acknowledged; after a restart the unacknowledged ones go again.
/// When full the oldest segment is dropped, counted and reported. <c>seq</c> is per stream and never reused.
/// </summary>
public sealed partial class Outbox : IAsyncDisposable
{
    private readonly OutboxOptions _options;
    private readonly Action<OutboxNotice> _notify;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<OutboxSegment> _segments = [];
    private readonly OutboxSequences _sequences;
    private readonly ArrayBufferWriter<byte> _payload = new(1024);
    private readonly SemaphoreSlim _available = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _ackFile;
    private readonly Task _flusher;
    private byte[] _record = new byte[4096];
    private long _ackOffset;
    private long _sendSegment;
    private long _sendOffset;
    private long _unsyncedBytes;
    private bool _ackDirty;
    private long _records;
    private long _dropped;
    private long _corrupt;
    private long _writeFailures;
    private long _rejected;
    private bool _disposed;

    private Outbox(OutboxOptions options, Action<OutboxNotice>? notify, TimeProvider? timeProvider)
    {
        options.Validate();
        _options = options;
        _notify = notify ?? (static _ => { });
        _time = timeProvider ?? TimeProvider.System;
        Directory.CreateDirectory(options.Directory);
        _sequences = new OutboxSequences(options.Directory, options.SeqReservation);
        _ackFile = File.OpenHandle(Path.Combine(options.Directory, "acked"), FileMode.OpenOrCreate, FileAccess.ReadWrite);
        Recover();
        _sequences.Save(clean: false);
        _flusher = Task.Run(FlushPeriodicallyAsync);
    }

    /// <summary>Opens (or creates) the outbox in <see cref="OutboxOptions.Directory"/>, recovering what a crash left.</summary>
    public static Outbox Open(OutboxOptions options, Action<OutboxNotice>? notify = null, TimeProvider? timeProvider = null) =>
        new(options ?? throw new ArgumentNullException(nameof(options)), notify, timeProvider);

    public OutboxStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new OutboxStatistics(_records, TotalBytes(), _dropped, _corrupt, _writeFailures, _rejected);
            }
        }
    }

    private OutboxSegment Active => _segments[^1];

    /// <summary>
    /// Appends a record for <paramref name="stream"/>: takes the stream's next seq, lets <paramref name="write"/> write
    /// the payload with it, and writes the record to the segment file. False (and a <see cref="OutboxNoticeKind.WriteFailed"/>
    /// notice) when the file could not be written; the seq is then a visible gap.
    /// </summary>
    public bool TryEnqueue<TState>(string stream, string topic, MqttQos qos, bool retain, OutboxPayloadWriter<TState> write, TState state, out long seq)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (!TopicFilter.IsValidTopicName(topic))
        {
            throw new ArgumentException($"cannot queue a record for '{topic}': a topic name must be non-empty and have no wildcard", nameof(topic));
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            seq = _sequences.Take(stream);
            _payload.ResetWrittenCount();
            write(_payload, seq, state);
            var length = Compose(stream, topic, qos, retain, seq);
            if (Active.Length > 0 && Active.Length + length > _options.SegmentBytes)
            {
                Roll();
            }

            while (TotalBytes() + length > _options.MaxBytes && _segments.Count > 1)
            {
                DropOldest();
            }

            var segment = Active;
            try
            {
                RandomAccess.Write(segment.Handle, _record.AsSpan(0, length), segment.Length);
            }
            catch (IOException ex)
            {
                WriteFailed(segment, ex);
                return false;
            }

            segment.Length += length;
            _records++;
            _unsyncedBytes += length;
            if (_unsyncedBytes >= _options.FsyncBytes)
            {
                Sync();
            }
        }

        Signal();
        return true;
    }

    /// <summary>Writes everything to disk now (records, acknowledgement position).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Sync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _flusher.ConfigureAwait(false);
        lock (_gate)
        {
            Sync();
            _sequences.Save(clean: true);
            foreach (var segment in _segments)
            {
                segment.Dispose();
            }

            _ackFile.Dispose();
        }

        _stop.Dispose();
        _available.Dispose();
    }

    private int Compose(string stream, string topic, MqttQos qos, bool retain, long seq)
    {
        var streamBytes = Encoding.UTF8.GetByteCount(stream);
        var topicBytes = Encoding.UTF8.GetByteCount(topic);
        if (streamBytes > ushort.MaxValue || topicBytes > ushort.MaxValue)
        {
            throw new ArgumentException("a stream name or topic is longer than 65535 bytes");
        }

        var bodyLength = OutboxRecord.BodyLength(streamBytes, topicBytes, _payload.WrittenCount);
        var length = OutboxRecord.HeaderBytes + bodyLength;
        if (_record.Length < length)
        {
            _record = new byte[Math.Max(length, _record.Length * 2)];
        }

        var body = _record.AsSpan(OutboxRecord.HeaderBytes, bodyLength);
        OutboxRecord.WriteBodyPrefix(body, seq, qos, retain, streamBytes, topicBytes);
        Encoding.UTF8.GetBytes(stream, body[OutboxRecord.FixedBodyBytes..]);
        Encoding.UTF8.GetBytes(topic, body[(OutboxRecord.FixedBodyBytes + streamBytes)..]);
        _payload.WrittenSpan.CopyTo(body[(OutboxRecord.FixedBodyBytes + streamBytes + topicBytes)..]);
        OutboxRecord.WriteHeader(_record, body);
        return length;
    }

    private long TotalBytes()
    {
        var total = -_ackOffset;
        foreach (var segment in _segments)
        {
            total += segment.Length;
        }

        return total;
    }

    private void Roll()
    {
        Sync();
        _segments.Add(OutboxSegment.Open(_options.Directory, Active.Id + 1));
        OutboxFiles.FsyncDirectory(_options.Directory);
    }

    private void DropOldest()
    {
        var oldest = _segments[0];
        var records = CountRecords(oldest, _ackOffset);
        oldest.Delete();
        _segments.RemoveAt(0);
        _ackOffset = 0;
        _ackDirty = true;
        _records -= records;
        _dropped += records;
        if (_sendSegment <= oldest.Id)
        {
            _sendSegment = _segments[0].Id;
            _sendOffset = 0;
        }

        _notify(new OutboxNotice(OutboxNoticeKind.Full, records, $"the outbox reached {_options.MaxBytes} bytes: the oldest {records} records were dropped"));
    }

    private void WriteFailed(OutboxSegment segment, IOException error)
    {
        _writeFailures++;
        try
        {
            // Cut what part of the record may have reached the file, so the records before it stay readable.
            RandomAccess.SetLength(segment.Handle, segment.Length);
        }
        catch (IOException)
        {
            Roll();
        }

        _notify(new OutboxNotice(OutboxNoticeKind.WriteFailed, 1, $"a record could not be written to {segment.Path}: {error.Message}"));
    }

    private void Sync()
    {
        if (_unsyncedBytes > 0)
        {
            RandomAccess.FlushToDisk(Active.Handle);
            _unsyncedBytes = 0;
        }

        if (_ackDirty)
        {
            Span<byte> position = stackalloc byte[16];
            BinaryPrimitives.WriteInt64LittleEndian(position, _segments[0].Id);
            BinaryPrimitives.WriteInt64LittleEndian(position[8..], _ackOffset);
            RandomAccess.Write(_ackFile, position, 0);
            _ackDirty = false;
        }
    }

    private async Task FlushPeriodicallyAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.FsyncInterval, _time, _stop.Token).ConfigureAwait(false);
                lock (_gate)
                {
                    if (!_disposed)
                    {
                        Sync();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Signal()
    {
        try
        {
            if (_available.CurrentCount == 0)
            {
                _available.Release();
            }
        }
        catch (SemaphoreFullException)
        {
        }
    }
}
