using EdgeAgent.Configuration;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Pipeline;
using EdgeAgent.Pipeline.Preprocessing;

namespace EdgeAgent.Updates;

/// <summary>
/// The loaded version of each model and the streams, camera or sensor, that run it. Activating a version prepares a
/// runner for every stream of that model first (so a model that cannot serve a stream changes nothing), then swaps each pipeline
/// between two frames; what a swap hands back is released, and the old session goes with its last runner.
/// </summary>
internal sealed class ModelRegistry(OrtEnvironment environment, InferenceSessionOptions sessionOptions, string device) : IDisposable
{
    private readonly Dictionary<string, ServedModel> _served = new(StringComparer.Ordinal);
    private readonly List<Slot> _slots = [];
    private readonly List<SensorSlot> _sensorSlots = [];
    private readonly List<Task> _releases = [];

    public InferenceSessionOptions SessionOptions => sessionOptions;

    public ServedModel? Current(string model) => _served.GetValueOrDefault(model);

    /// <summary>The streams that run <paramref name="model"/>.</summary>
    public int StreamsOf(string model) => _slots.Count(s => s.Options.Model == model) + _sensorSlots.Count(s => s.Options.Model == model);

    /// <summary>Loads <paramref name="package"/> as the serving version of its model (at start).</summary>
    /// <exception cref="OrtException">The model does not load.</exception>
    public ServedModel Load(ModelPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        if (_served.TryGetValue(package.Name, out var loaded))
        {
            return loaded;
        }

        var served = Open(package);
        _served[package.Name] = served;
        return served;
    }

    /// <summary>A session for <paramref name="package"/>, not yet serving anything.</summary>
    /// <exception cref="OrtException">The model does not load.</exception>
    public ServedModel Open(ModelPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return new ServedModel(package, environment.CreateSession(package.ModelPath, sessionOptions));
    }

    /// <summary>A stream's runner and writer over <paramref name="served"/>, holding its session until released.</summary>
    /// <exception cref="InvalidDataException">The model cannot serve the stream (its input or task).</exception>
    public ServingModel Serve(ServedModel served, StreamOptions stream, FrameGeometry frame, IInferenceWatch? watch)
    {
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(stream);
        var runner = new ModelRunner(served.Package, served.Session, frame, (float)stream.MinScore);
        served.Hold();
        return new ServingModel(runner, new ResultWriter(device, stream.Name, served.Package), watch, served.Release);
    }

    /// <summary>A sensor stream's window runner and writer over <paramref name="served"/>, holding its session until released.</summary>
    /// <exception cref="InvalidDataException">The model cannot serve the stream (its task, input or normalisation).</exception>
    public WindowServing ServeWindows(ServedModel served, StreamOptions stream, IInferenceWatch? watch)
    {
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(stream);
        var package = served.Package;
        var source = stream.Source;
        try
        {
            Sensors.WindowAssembler.CheckNormalisation(source.Channels.Count, package.Descriptor.Input.Mean, package.Descriptor.Input.Std);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"model {package.Name} v{package.Version}: {ex.Message}", ex);
        }

        var runner = new WindowRunner(package, served.Session, source.Channels.Count, source.Window);
        served.Hold();
        var threshold = package.Descriptor.Postprocess.Threshold;
        return new WindowServing(runner, new ResultWriter(device, stream.Name, package), threshold * (float)stream.Anomaly.LeaveRatio, watch, served.Release);
    }

    public void Attach(StreamPipeline pipeline, StreamOptions stream, FrameGeometry frame) => _slots.Add(new Slot(pipeline, stream, frame));

    public void Attach(SensorPipeline pipeline, StreamOptions stream) => _sensorSlots.Add(new SensorSlot(pipeline, stream));

    /// <summary>A runner for every stream of the model, camera or sensor; nothing is left held when one fails.</summary>
    /// <exception cref="InvalidDataException">The model cannot serve one of the streams; the message names it.</exception>
    /// <exception cref="OrtException">A trial run failed.</exception>
    public PreparedVersion Prepare(ServedModel served, IInferenceWatch? watch)
    {
        ArgumentNullException.ThrowIfNull(served);
        var prepared = new PreparedVersion();
        try
        {
            foreach (var slot in _slots.Where(s => s.Options.Model == served.Package.Name))
            {
                prepared.Frames.Add(Named(slot.Options, () => Serve(served, slot.Options, slot.Frame, watch)));
            }

            foreach (var slot in _sensorSlots.Where(s => s.Options.Model == served.Package.Name))
            {
                prepared.Windows.Add(Named(slot.Options, () => ServeWindows(served, slot.Options, watch)));
            }

            return prepared;
        }
        catch
        {
            prepared.Release();
            throw;
        }
    }

    /// <summary>
    /// Makes <paramref name="served"/> its model's version: each stream takes its prepared runner at its next frame or
    /// window. The registry's hold on the version it replaces is let go; streams let go of theirs as they move on.
    /// </summary>
    public void Activate(ServedModel served, PreparedVersion prepared)
    {
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(prepared);
        var slots = _slots.Where(s => s.Options.Model == served.Package.Name).ToList();
        for (var i = 0; i < slots.Count; i++)
        {
            _releases.Add(slots[i].Pipeline.SwapAsync(prepared.Frames[i]).ContinueWith(t => t.Result.Release(), TaskScheduler.Default));
        }

        var sensorSlots = _sensorSlots.Where(s => s.Options.Model == served.Package.Name).ToList();
        for (var i = 0; i < sensorSlots.Count; i++)
        {
            _releases.Add(sensorSlots[i].Pipeline.SwapAsync(prepared.Windows[i]).ContinueWith(t => t.Result.Release(), TaskScheduler.Default));
        }

        _releases.RemoveAll(t => t.IsCompleted);
        if (_served.Remove(served.Package.Name, out var replaced) && replaced != served)
        {
            replaced.Release();
        }

        _served[served.Package.Name] = served;
    }

    /// <summary>After the pipelines stopped: releases every runner and session.</summary>
    public void Dispose()
    {
        foreach (var slot in _slots)
        {
            slot.Pipeline.CancelPendingSwap();
        }

        foreach (var slot in _sensorSlots)
        {
            slot.Pipeline.CancelPendingSwap();
        }

        Task.WaitAll([.. _releases]);
        foreach (var slot in _slots)
        {
            slot.Pipeline.Current.Release();
        }

        foreach (var slot in _sensorSlots)
        {
            slot.Pipeline.Current.Release();
        }

        foreach (var served in _served.Values)
        {
            served.Release();
        }

        _served.Clear();
        _slots.Clear();
        _sensorSlots.Clear();
    }

    private static T Named<T>(StreamOptions stream, Func<T> serve)
    {
        try
        {
            return serve();
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"stream {stream.Name}: {ex.Message}", ex);
        }
    }

    private sealed record Slot(StreamPipeline Pipeline, StreamOptions Options, FrameGeometry Frame);

    private sealed record SensorSlot(SensorPipeline Pipeline, StreamOptions Options);
}
