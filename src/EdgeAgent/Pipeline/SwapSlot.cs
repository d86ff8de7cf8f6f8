namespace EdgeAgent.Pipeline;

/// <summary>
/// The next model a pipeline's loop is to take between two inferences: offered from another thread, taken by the
/// loop. Each offer completes with what its caller must release: the model it replaced once the loop took it, or
/// itself when a later offer (or <see cref="Cancel"/>) came first.
/// </summary>
internal sealed class SwapSlot<T>
    where T : class
{
    private Pending? _pending;

    public Task<T> Offer(T next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var swap = new Pending(next);
        if (Interlocked.Exchange(ref _pending, swap) is { } superseded)
        {
            superseded.Released.TrySetResult(superseded.Next);
        }

        return swap.Released.Task;
    }

    /// <summary>Whether a model is on offer (a hint: an offer may come or be cancelled right after).</summary>
    public bool HasOffer => Volatile.Read(ref _pending) is not null;

    /// <summary>On the loop: the model offered since the last call, handing <paramref name="current"/> back to its offerer; null when none.</summary>
    public T? Take(T current)
    {
        if (Volatile.Read(ref _pending) is null || Interlocked.Exchange(ref _pending, null) is not { } swap)
        {
            return null;
        }

        swap.Released.TrySetResult(current);
        return swap.Next;
    }

    public void Cancel()
    {
        if (Interlocked.Exchange(ref _pending, null) is { } pending)
        {
            pending.Released.TrySetResult(pending.Next);
        }
    }

    private sealed class Pending(T next)
    {
        public T Next { get; } = next;

        public TaskCompletionSource<T> Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
