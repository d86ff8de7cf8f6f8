using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using EdgeAgent.Interop;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Sources;

/// <summary>
/// A camera or exec stream: a child process writing raw frames to its stdout, read into pooled frames and handed to
/// the pipeline through a one-slot channel that keeps only the newest frame (older ones are dropped and counted).
/// A file or lavfi source that is not paced (<see cref="CameraSettings.Realtime"/> off) is read only once the pipeline
/// has taken the frame before, so ffmpeg makes no frame that would be dropped.
/// A process that exits or stalls is killed, reaped and restarted with exponential backoff and jitter, for ever;
/// the loss and the recovery are reported once each.
/// </summary>
public sealed class CameraSource : IStreamSource
{
    private readonly string _stream;
    private readonly CameraSettings _settings;
    private readonly ISourceObserver _observer;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly FramePool _pool;
    private readonly Channel<Frame> _frames;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SourceHealth _health;
    private readonly bool _lossless;
    // Not disposed: the pipeline may release a frame after the source is gone, and a wait never needs its kernel handle.
    private readonly ManualResetEventSlim _taken = new(initialState: false, spinCount: 0);
    private volatile bool _abandonReading;
    private volatile bool _waitingForPipeline;
    private Task _run = Task.CompletedTask;
    private long _read;
    private long _dropped;
    private long _lastFrameTimestamp;
    private int _starts;

    public CameraSource(string stream, CameraSettings settings, ISourceObserver observer, ILogger logger, TimeProvider time)
    {
        _stream = stream;
        _settings = settings;
        _observer = observer;
        _logger = logger;
        _time = time;
        _health = new SourceHealth(stream, observer, logger, time);
        _lossless = settings.Command is null && !settings.Realtime && !FfmpegArguments.IsLive(settings.Url);
        _pool = new FramePool(settings.Geometry.ByteCount, _lossless ? _taken.Set : null);
        // The most a stream holds at once: one frame being read, one in the channel, one being preprocessed. Allocated
        // now, not when a rare moment first needs the third (bench pipeline saw that inside its counted blocks).
        _pool.Reserve(3);
        _frames = Channel.CreateBounded<Frame>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            frame =>
            {
                Interlocked.Increment(ref _dropped);
                frame.Release();
            });
    }

    /// <summary>The newest frame; the reader releases each frame it takes.</summary>
    public ChannelReader<Frame> Frames => _frames.Reader;

    public SourceState State => _health.State;

    public int Width => _settings.Width;

    public int Height => _settings.Height;

    /// <summary>Frames read from the process since start.</summary>
    public long FramesRead => Interlocked.Read(ref _read);

    /// <summary>Frames replaced by a newer one before the pipeline took them.</summary>
    public long FramesDropped => Interlocked.Read(ref _dropped);

    long IStreamSource.ItemsRead => FramesRead;

    long IStreamSource.SamplesLost => 0;

    long IStreamSource.SamplesInvalid => 0;

    /// <summary>Frame buffers ever allocated; flat once in steady state.</summary>
    public int FramesAllocated => _pool.Created;

    /// <summary>How many times a child was started: 1 plus the restarts.</summary>
    public int Starts => Volatile.Read(ref _starts);

    /// <summary>How many bytes the pipe from the child holds (the last child's; 0 before the first).</summary>
    public int PipeBytes { get; private set; }

    /// <summary>The process id of the child running now, or null.</summary>
    public int? ProcessId { get; private set; }

    public void Start() => _run = Task.Run(() => SuperviseAsync(_stopping.Token));

    /// <summary>Stops the child (killed and reaped), ends the channel and releases every frame still queued.</summary>
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

        _frames.Writer.TryComplete();
        while (_frames.Reader.TryRead(out var frame))
        {
            frame.Release();
        }

        _health.State = SourceState.Stopped;
        _stopping.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var retry = RestartBackoff.Create<SourceFailedException>(_time, _settings.RestartDelay, _settings.MaxRestartDelay, (delay, attempt) =>
        {
            _health.State = SourceState.Backoff;
            Log.Restarting(_logger, _stream, delay.TotalSeconds, attempt);
        });

        while (!stopping.IsCancellationRequested)
        {
            // A run that stayed healthy for a while and then failed returns normally, so the backoff starts over.
            await retry.ExecuteAsync(async token => await RunOnceAsync(token), stopping);
        }
    }

    /// <summary>Runs one child until it ends; throws when it failed before becoming healthy.</summary>
    private async ValueTask RunOnceAsync(CancellationToken stopping)
    {
        var program = _settings.Command ?? "ffmpeg";
        IReadOnlyList<string> arguments = _settings.Command is null ? FfmpegArguments.Build(_settings) : _settings.Arguments;
        var start = ChildStart.For(program, arguments);

        var commandLine = string.Join(' ', arguments);
        Log.Starting(_logger, _stream, program, commandLine);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            _health.Lose($"{program} could not be started: {ex.Message}");
            throw new SourceFailedException($"{program} could not be started: {ex.Message}", ex);
        }

        Interlocked.Increment(ref _starts);
        ProcessId = process.Id;
        process.StandardInput.Close();
        var startedAt = _time.GetTimestamp();
        Volatile.Write(ref _lastFrameTimestamp, startedAt);
        var lastError = new StrongBox<string>(string.Empty);
        // Threads of their own, not the pool: both block in read(2) for the child's whole life, and a pool worker
        // blocked that long makes the pool start new threads.
        var errors = new Thread(() => ForwardErrors(process, program, lastError)) { IsBackground = true, Name = $"stderr:{_stream}" };
        errors.Start();
        var output = process.StandardOutput.BaseStream;
        // A pipe that holds a whole frame: ffmpeg writes 32 KiB at a time, so with the default 64 KiB the reader woke
        // about 24 times per 640x480 frame; with room for the frame, the next one is there in full by the time the
        // pipeline wants it, read in one call. Where the kernel refuses, the default pipe works, with more wake-ups.
        if (output is PipeStream pipe)
        {
            PipeBytes = Libc.ResizePipe(pipe.SafePipeHandle, _pool.FrameBytes);
        }

        var reader = new Thread(() => ReadFrames(output)) { IsBackground = true, Name = $"frames:{_stream}" };
        reader.Start();
        // The stop reaches a reader waiting for the pipeline (lossless) after the child ended on its own, while this
        // method waits for the reader below.
        using var abandonOnStop = stopping.UnsafeRegister(static state => ((CameraSource)state!).AbandonReading(), this);

        var stalled = false;

        // One timer for the child's whole life: a check every 100 ms that allocates nothing, frame after frame.
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(100), _time);
        try
        {
            while (!process.HasExited && await ticks.WaitForNextTickAsync(stopping))
            {
                if (!process.HasExited && !_waitingForPipeline && _time.GetElapsedTime(Volatile.Read(ref _lastFrameTimestamp)) > _settings.StallTimeout)
                {
                    stalled = true;
                    break;
                }
            }
        }
        finally
        {
            ChildStart.Kill(process);
            process.WaitForExit();
            // A reader waiting for the pipeline to take a frame (lossless) gives up when the child stalled or the source
            // stops; after a child that ended, it delivers what the pipe still holds. Checked here as well as registered:
            // when the stop ends the tick wait, this runs inside the token's callbacks, before the registration's turn.
            if (stalled || stopping.IsCancellationRequested)
            {
                AbandonReading();
            }

            reader.Join();
            _abandonReading = false;
            errors.Join();
            ProcessId = null;
        }

        stopping.ThrowIfCancellationRequested();
        var reason = stalled
            ? $"no frame for {_settings.StallTimeout.TotalSeconds:F0} s from {program}"
            : $"{program} exited with code {process.ExitCode}{(lastError.Value!.Length > 0 ? ": " + lastError.Value : string.Empty)}";
        _health.Lose(reason);
        if (_time.GetElapsedTime(startedAt) < _settings.HealthyAfter)
        {
            throw new SourceFailedException(reason);
        }
    }

    private void ReadFrames(Stream output)
    {
        var bytes = _pool.FrameBytes;
        while (true)
        {
            var frame = _pool.Rent();
            var filled = 0;
            while (filled < bytes)
            {
                var read = output.Read(frame.Buffer, filled, bytes - filled);
                if (read == 0)
                {
                    frame.Release();
                    return;
                }

                filled += read;
            }

            frame.Index = Interlocked.Increment(ref _read) - 1;
            frame.Timestamp = _time.GetUtcNow();
            Volatile.Write(ref _lastFrameTimestamp, _time.GetTimestamp());
            _health.Restore();
            if (_lossless)
            {
                // A slow or paused pipeline is not a stalled child: the stall clock starts again once it takes the frame.
                _waitingForPipeline = true;
                var taken = WaitUntilTaken();
                Volatile.Write(ref _lastFrameTimestamp, _time.GetTimestamp());
                _waitingForPipeline = false;
                if (!taken)
                {
                    frame.Release();
                    return;
                }
            }

            if (!_frames.Writer.TryWrite(frame))
            {
                frame.Release();
            }
        }
    }

    private void AbandonReading()
    {
        _abandonReading = true;
        _taken.Set();
    }

    /// <summary>Blocks until the channel is empty (every frame in it is released after it is read); false once told to give up.</summary>
    private bool WaitUntilTaken()
    {
        while (_frames.Reader.Count > 0)
        {
            if (_abandonReading)
            {
                return false;
            }

            _taken.Wait();
            _taken.Reset();
        }

        return !_abandonReading;
    }

    private void ForwardErrors(Process process, string program, StrongBox<string> lastError)
    {
        while (process.StandardError.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                lastError.Value = line;
                Log.ChildOutput(_logger, _stream, program, line);
            }
        }
    }
}
