using EdgeAgent.Configuration;
using EdgeAgent.Models;
using EdgeAgent.Onnx;
using EdgeAgent.Pipeline;
using EdgeAgent.Pipeline.Preprocessing;

namespace EdgeAgent.Updates;

/// <summary>
/// The loaded version of each model and the streams that run it. Activating a version prepares a runner for every
/// stream of that model first (so a model that cannot serve a stream changes nothing), then swaps each pipeline
/// between two frames; what a swap hands back is released, and the old session goes with its last runner.
/// </summary>
internal sealed class ModelRegistry(OrtEnvironment environment, InferenceSessionOptions sessionOptions, string device) : IDisposable
{
    private readonly Dictionary<string, ServedModel> _served = new(StringComparer.Ordinal);
    private readonly List<Slot> _slots = [];
    private readonly List<Task> _releases = [];

    public InferenceSessionOptions SessionOptions => sessionOptions;

    public ServedModel? Current(string model) => _served.GetValueOrDefault(model);

    /// <summary>The streams that run <paramref name="model"/>.</summary>
    public int StreamsOf(string model) => _slots.Count(s => s.Options.Model == model);

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

    public void Attach(StreamPipeline pipeline, StreamOptions stream, FrameGeometry frame) => _slots.Add(new Slot(pipeline, stream, frame));

    /// <summary>A runner for every stream of the model; nothing is left held when one fails.</summary>
    /// <exception cref="InvalidDataException">The model cannot serve one of the streams; the message names it.</exception>
    /// <exception cref="OrtException">A trial run failed.</exception>
    public IReadOnlyList<ServingModel> Prepare(ServedModel served, IInferenceWatch? watch)
    {
        ArgumentNullException.ThrowIfNull(served);
        var prepared = new List<ServingModel>();
        try
        {
            foreach (var slot in _slots.Where(s => s.Options.Model == served.Package.Name))
            {
                try
                {
                    prepared.Add(Serve(served, slot.Options, slot.Frame, watch));
                }
                catch (InvalidDataException ex)
                {
                    throw new InvalidDataException($"stream {slot.Options.Name}: {ex.Message}", ex);
                }
            }

            return prepared;
        }
        catch
        {
            prepared.ForEach(p => p.Release());
            throw;
        }
    }

    /// <summary>
    /// Makes <paramref name="served"/> its model's version: each stream takes its prepared runner at its next frame.
    /// The registry's hold on the version it replaces is let go; streams let go of theirs as they move on.
    /// </summary>
    public void Activate(ServedModel served, IReadOnlyList<ServingModel> prepared)
    {
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(prepared);
        var slots = _slots.Where(s => s.Options.Model == served.Package.Name).ToList();
        for (var i = 0; i < slots.Count; i++)
        {
            _releases.Add(slots[i].Pipeline.SwapAsync(prepared[i]).ContinueWith(t => t.Result.Release(), TaskScheduler.Default));
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

        Task.WaitAll([.. _releases]);
        foreach (var slot in _slots)
        {
            slot.Pipeline.Current.Release();
        }

        foreach (var served in _served.Values)
        {
            served.Release();
        }

        _served.Clear();
        _slots.Clear();
    }

    private sealed record Slot(StreamPipeline Pipeline, StreamOptions Options, FrameGeometry Frame);
}
