using System.Text;

namespace EdgeAgent.Mqtt.Outbox;

/// <summary>The publishing loop: in order, up to <see cref="OutboxOptions.MaxInFlight"/> awaiting their acknowledgement.</summary>
public sealed partial class Outbox
{
    private readonly List<(byte[] Utf8, string Topic)> _topics = [];
    private byte[] _read = new byte[4096];

    /// <summary>
    /// Publishes queued records through <paramref name="publisher"/> until <paramref name="cancellationToken"/> fires.
    /// A record is removed once acknowledged; one the broker refuses for good is removed and reported.
    /// </summary>
    public async Task RunAsync(IMqttPublisher publisher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        var inFlight = new Queue<(ValueTask Ack, long Segment, long End)>(_options.MaxInFlight);
        lock (_gate)
        {
            _sendSegment = _segments[0].Id;
            _sendOffset = _ackOffset;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            while (inFlight.Count < _options.MaxInFlight && TryPublishNext(publisher, inFlight, cancellationToken))
            {
            }

            if (inFlight.TryDequeue(out var head))
            {
                try
                {
                    await head.Ack.ConfigureAwait(false);
                }
                catch (MqttReasonException ex)
                {
                    Reject(ex);
                }

                Acknowledge(head.Segment, head.End);
            }
            else
            {
                await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private bool TryPublishNext(IMqttPublisher publisher, Queue<(ValueTask Ack, long Segment, long End)> inFlight, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_disposed || !TryReadNext(out var bodyLength, out var segment, out var end))
            {
                return false;
            }

            var body = _read.AsSpan(0, bodyLength);
            var view = OutboxRecord.Parse(body);
            var topic = TopicString(body.Slice(view.TopicOffset, view.TopicLength));
            ValueTask ack;
            try
            {
                // libmosquitto copies the payload during the call, so the read buffer is free again after it.
                ack = publisher.PublishAsync(topic, _read.AsMemory(view.PayloadOffset, bodyLength - view.PayloadOffset), view.Qos, view.Retain, cancellationToken);
            }
            catch (MosquittoException ex)
            {
                Reject(ex);
                ack = ValueTask.CompletedTask;
            }

            inFlight.Enqueue((ack, segment, end));
            return true;
        }
    }

    private bool TryReadNext(out int bodyLength, out long segmentId, out long end)
    {
        bodyLength = 0;
        segmentId = 0;
        end = 0;
        var index = _segments.FindIndex(s => s.Id >= _sendSegment);
        if (index < 0)
        {
            return false;
        }

        if (_segments[index].Id != _sendSegment)
        {
            _sendSegment = _segments[index].Id;
            _sendOffset = 0;
        }

        var segment = _segments[index];
        if (_sendOffset >= segment.Length)
        {
            if (index == _segments.Count - 1)
            {
                return false;
            }

            segment = _segments[index + 1];
            _sendSegment = segment.Id;
            _sendOffset = 0;
            if (segment.Length == 0)
            {
                return false;
            }
        }

        Span<byte> header = stackalloc byte[OutboxRecord.HeaderBytes];
        RandomAccess.Read(segment.Handle, header, _sendOffset);
        bodyLength = OutboxRecord.ReadBodyLength(header);
        if (_read.Length < bodyLength)
        {
            _read = new byte[Math.Max(bodyLength, _read.Length * 2)];
        }

        RandomAccess.Read(segment.Handle, _read.AsSpan(0, bodyLength), _sendOffset + OutboxRecord.HeaderBytes);
        _sendOffset += OutboxRecord.HeaderBytes + bodyLength;
        segmentId = segment.Id;
        end = _sendOffset;
        return true;
    }

    private void Acknowledge(long segmentId, long end)
    {
        lock (_gate)
        {
            if (_disposed || segmentId < _segments[0].Id)
            {
                return;
            }

            while (_segments[0].Id < segmentId && _segments.Count > 1)
            {
                _segments[0].Delete();
                _segments.RemoveAt(0);
                _ackOffset = 0;
            }

            _ackOffset = Math.Max(_ackOffset, end);
            _records--;
            _ackDirty = true;
            if (_segments.Count > 1 && _ackOffset >= _segments[0].Length)
            {
                _segments[0].Delete();
                _segments.RemoveAt(0);
                _ackOffset = 0;
            }
        }
    }

    private void Reject(Exception error)
    {
        lock (_gate)
        {
            _rejected++;
        }

        _notify(new OutboxNotice(OutboxNoticeKind.Rejected, 1, error.Message));
    }

    /// <summary>Topics repeat (a few per stream): keep their strings so publishing does not decode one per record.</summary>
    private string TopicString(ReadOnlySpan<byte> utf8)
    {
        foreach (var (bytes, topic) in _topics)
        {
            if (utf8.SequenceEqual(bytes))
            {
                return topic;
            }
        }

        var decoded = Encoding.UTF8.GetString(utf8);
        if (_topics.Count >= 64)
        {
            _topics.RemoveAt(0);
        }

        _topics.Add((utf8.ToArray(), decoded));
        return decoded;
    }
}
