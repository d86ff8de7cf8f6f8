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
/// preprocessed into an input tensor, at a given rate. It costs nothing between loads: unread, the camera's ffmpeg blocks.
/// So the bare loop beside it shows what the camera alone takes from inference on the other CPU of this machine.
/// </summary>
internal sealed class CameraLoad : IAsyncDisposable
{
    private readonly CameraSource _source;
    private readonly ModelRunner _runner;
    private readonly QuietObserver _observer = new();

    public CameraLoad(ModelPackage package, InferenceSession session)
    {
        var settings = PipelineThroughput.Camera(cameraFps: null);
        _source = new CameraSource("load", settings, _observer, NullLogger.Instance, TimeProvider.System);
        _runner = new ModelRunner(package, session, settings.Geometry, 0f);
        _source.Start();
    }

    public int Losses => _observer.Losses;

    /// <summary>
    /// Runs <paramref name="work"/> while, on a thread of its own, frames are read and preprocessed at
    /// <paramref name="fps"/>. Optimised at once, as the bare loop is: a tiered promotion allocates inside whatever
    /// block is being counted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public T Beside<T>(double fps, Func<T> work)
    {
        var stop = new CancellationTokenSource();
        var load = new Thread([MethodImpl(MethodImplOptions.AggressiveOptimization)] () => Load(fps, stop.Token)) { IsBackground = true, Name = "load" };
        load.Start();
        try
        {
            return work();
        }
        finally
        {
            stop.Cancel();
            load.Join();
            stop.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        _runner.Dispose();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Load(double fps, CancellationToken stop)
    {
        var interval = (long)(Stopwatch.Frequency / fps);
        var next = Stopwatch.GetTimestamp();
        using var wait = new ChannelWait<Frame>(_source.Frames, stop);
        try
        {
            while (wait.Wait())
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

                next += interval;
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
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
