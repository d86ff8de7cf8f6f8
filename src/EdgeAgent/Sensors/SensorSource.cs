using EdgeAgent.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Sensors;

/// <summary>
/// A sensor stream: reads its feed into pooled sample rows and queues them in a bounded <see cref="SampleBuffer"/>
/// that the pipeline drains; nothing is dropped unless the buffer overflows. A feed that becomes unavailable is
/// closed and reopened with exponential backoff and jitter, for ever; the loss and the recovery are reported once
/// each. A value that cannot be parsed skips one sample, is counted, and is logged (the first of each run of them).
/// The first sample after a loss of the sensor, of samples or of unparsable ones is marked <see cref="SampleRow.AfterGap"/>.
/// </summary>
public sealed class SensorSource : IStreamSource
{
    private readonly string _stream;
    private readonly ISensorFeed _feed;
    private readonly SensorSettings _settings;
    private readonly ISensorObserver _observer;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SourceHealth _health;
    private Task _run = Task.CompletedTask;
    private long _read;
    private long _invalid;
    private long _lostReported;
    private bool _invalidRun;
    private bool _reopened;
    private long _lostSeen;

    public SensorSource(string stream, ISensorFeed feed, SensorSettings settings, ISensorObserver observer, ILogger logger, TimeProvider time)
    {
        _stream = stream;
        _feed = feed;
        _settings = settings;
        _observer = observer;
        _logger = logger;
        _time = time;
        _health = new SourceHealth(stream, observer, logger, time);
        Buffer = new SampleBuffer(feed.Channels, settings.BufferSamples, settings.BatchSamples);
    }

    /// <summary>The samples, in order; the reader releases each row it takes.</summary>
    public SampleBuffer Buffer { get; }

    public int Channels => _feed.Channels;

    public SourceState State => _health.State;

    /// <summary>Samples read from the sensor since start.</summary>
    public long SamplesRead => Interlocked.Read(ref _read);

    /// <summary>Samples lost because the buffer (or an mqtt feed's queue) was full.</summary>
    public long SamplesLost => Buffer.Lost + (_feed is MqttFeed mqtt ? mqtt.Lost : 0);

    long IStreamSource.ItemsRead => SamplesRead;

    long IStreamSource.FramesDropped => 0;

    /// <summary>Readings that could not be parsed (each skipped one sample).</summary>
    public long SamplesInvalid => Interlocked.Read(ref _invalid);

    /// <summary>Ends with the stream: the feed ended (a replay without Loop) or the source was disposed.</summary>
    public Task Completion => _run;

    public void Start() => _run = Task.Run(() => SuperviseAsync(_stopping.Token));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }

        Buffer.Complete();
        _feed.Dispose();
        _health.State = SourceState.Stopped;
        _stopping.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var retry = RestartBackoff.Create<SensorUnavailableException>(_time, _settings.RestartDelay, _settings.MaxRestartDelay, (delay, attempt) =>
        {
            _health.State = SourceState.Backoff;
            Log.Reopening(_logger, _stream, delay.TotalSeconds, attempt);
        });

        try
        {
            while (!stopping.IsCancellationRequested)
            {
                // A run that stayed healthy for a while and then failed returns normally, so the backoff starts over.
                await retry.ExecuteAsync(async token => await RunOnceAsync(token), stopping);
            }
        }
        catch (EndOfStreamException)
        {
            Log.Ended(_logger, _stream, _feed.Description);
            _health.State = SourceState.Stopped;
            Buffer.Complete();
        }
    }

    /// <summary>Reads until the feed fails; throws when it failed before becoming healthy.</summary>
    private async ValueTask RunOnceAsync(CancellationToken stopping)
    {
        Log.Opening(_logger, _stream, _feed.Description);
        var openedAt = _time.GetTimestamp();
        try
        {
            _feed.Open();
            if (_feed.Blocking)
            {
                // Each await of the loop completes at once for a blocking feed, so the loop stays on this thread of
                // its own: a sample costs the sampler's one wake-up instead of a timer and thread-pool hops.
                await Task.Factory.StartNew(() => ReadAllAsync(stopping).AsTask(), stopping, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            }
            else
            {
                await ReadAllAsync(stopping);
            }
        }
        catch (SensorUnavailableException ex)
        {
            _feed.Close();
            _reopened = true;
            _health.Lose(ex.Message);
            if (_time.GetElapsedTime(openedAt) < _settings.HealthyAfter)
            {
                throw;
            }
        }
        catch
        {
            _feed.Close();
            throw;
        }
    }

    /// <summary>Reads samples into the buffer until the feed fails or the source stops.</summary>
    private async ValueTask ReadAllAsync(CancellationToken stopping)
    {
        while (true)
        {
            var row = Buffer.Pool.Rent();
            try
            {
                row.Timestamp = await _feed.ReadAsync(row.Values, stopping);
            }
            catch (SensorValueException ex)
            {
                row.Release();
                Skip(ex.Message);
                continue;
            }
            catch
            {
                row.Release();
                throw;
            }

            row.Index = Interlocked.Increment(ref _read) - 1;
            var lost = SamplesLost;
            row.AfterGap = _reopened || lost != _lostSeen || (_invalidRun && row.Index > 0);
            (_reopened, _lostSeen, _invalidRun) = (false, lost, false);
            _health.Restore();
            if (!_settings.Realtime)
            {
                await Buffer.WriteWaitingAsync(row, stopping);
            }
            else if (!Buffer.Write(row) && Buffer.Lost > _lostReported)
            {
                _lostReported = Buffer.Lost;
                if (IsPowerOfTwo(_lostReported))
                {
                    Log.SamplesLost(_logger, _stream, _lostReported);
                    _observer.SamplesLost(_stream, _lostReported);
                }
            }
        }
    }

    private void Skip(string reason)
    {
        var invalid = Interlocked.Increment(ref _invalid);
        if (!_invalidRun)
        {
            _invalidRun = true;
            Log.InvalidSample(_logger, _stream, invalid, reason);
        }
    }

    private static bool IsPowerOfTwo(long value) => (value & (value - 1)) == 0;
}
