using System.Diagnostics;
using System.Runtime.CompilerServices;
using EdgeAgent.Interop;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Pipeline;
using EdgeAgent.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Benchmarks.Pipeline;

/// <summary>
/// What a pipeline runs beside its inference thread, without that thread: the same unpaced camera, each frame
/// preprocessed into an input tensor, at a given rate. It costs nothing between loads: unread, the camera's ffmpeg
/// blocks, and the load's one thread waits. So the bare loop beside it shows what the camera alone takes from inference
/// on the other CPU of this machine. A load allocates nothing, so none of it lands in the pipeline's counted blocks.
/// </summary>
internal sealed class CameraLoad : IAsyncDisposable
{
    private readonly CameraSource _source;
    private readonly ModelRunner _runner;
    private readonly QuietObserver _observer = new();
    private readonly CancellationTokenSource _disposing = new();
    private readonly ManualResetEventSlim _go = new(initialState: false);
    private readonly ManualResetEventSlim _idle = new(initialState: true);
    private readonly Thread _thread;
    private volatile bool _loading;
    private long _interval;

    private CameraLoad(ModelPackage package, InferenceSession session)
    {
        var settings = PipelineThroughput.Camera(cameraFps: null);
        _source = new CameraSource("load", settings, _observer, NullLogger.Instance, TimeProvider.System);
        _runner = new ModelRunner(package, session, settings.Geometry, 0f);
        _source.Start();
        _thread = new Thread(Load) { IsBackground = true, Name = "load" };
        _thread.Start();
    }

    public int Losses => _observer.Losses;

    /// <summary>
    /// Starts the camera and warms the load: its first frame read and a short load run, so that starting ffmpeg and
    /// compiling the load's path happen before any counted block (started beside the first, they allocated 2.8-70 KB
    /// inside it; 0.3 KB since).
    /// </summary>
    public static async Task<CameraLoad> StartAsync(ModelPackage package, InferenceSession session)
    {
        var load = new CameraLoad(package, session);
        try
        {
            // The load thread is idle until the first Beside, so this is the channel's only reader meanwhile.
            await load._source.Frames.WaitToReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            await load.DisposeAsync();
            throw new TimeoutException("the camera load's ffmpeg gave no frame within 30 s");
        }

        load.Beside(100, () =>
        {
            Thread.Sleep(500);
            return 0;
        });
        return load;
    }

    /// <summary>Runs <paramref name="work"/> while the load thread reads and preprocesses frames at <paramref name="fps"/>.</summary>
    public T Beside<T>(double fps, Func<T> work)
    {
        _interval = (long)(Stopwatch.Frequency / fps);
        _idle.Reset();
        _loading = true;
        _go.Set();
        try
        {
            return work();
        }
        finally
        {
            _loading = false;
            _idle.Wait();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync();
        _go.Set();
        _thread.Join();
        await _source.DisposeAsync();
        _runner.Dispose();
        _go.Dispose();
        _idle.Dispose();
        _disposing.Dispose();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Load()
    {
        using var wait = new ChannelWait<Frame>(_source.Frames, _disposing.Token);
        try
        {
            while (true)
            {
                // Without the token: a cancellable wait registers on it, an allocation racing the next counted block.
                _go.Wait();
                _go.Reset();
                if (_disposing.IsCancellationRequested)
                {
                    return;
                }

                var next = Stopwatch.GetTimestamp();
                // The unpaced camera has a frame ready within a millisecond or so, so the end of a load is seen soon.
                while (_loading && wait.Wait())
                {
                    if (!_source.Frames.TryRead(out var frame))
                    {
                        continue;
                    }

                    try
                    {
                        _runner.Prepare(frame, 0);
                    }
                    finally
                    {
                        frame.Release();
                    }

                    next += _interval;
                    var early = next - Stopwatch.GetTimestamp();
                    if (early > 0)
                    {
                        Libc.Sleep(Stopwatch.GetElapsedTime(0, early));
                    }
                    else
                    {
                        next = Stopwatch.GetTimestamp();
                    }
                }

                _idle.Set();
            }
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
        }
        finally
        {
            _idle.Set();
        }
    }
}
