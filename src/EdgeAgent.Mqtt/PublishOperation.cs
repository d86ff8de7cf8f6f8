using System.Threading.Tasks.Sources;

namespace EdgeAgent.Mqtt;

/// <summary>
/// One publish awaiting its acknowledgement: a reusable <see cref="IValueTaskSource"/>, returned to its pool when
/// the awaiter has read the result, so a steady stream of publishes allocates nothing.
/// </summary>
internal sealed class PublishOperation : IValueTaskSource
{
    private readonly PublishOperationPool _pool;

    // Completed on the client's dispatch thread, never on libmosquitto's: running the continuation inline
    // there avoids queueing (and allocating) a thread-pool work item per publish.
    private ManualResetValueTaskSourceCore<bool> _core;

    public PublishOperation(PublishOperationPool pool)
    {
        _pool = pool;
    }

    public short Version => _core.Version;

    public ValueTask AsValueTask() => new(this, _core.Version);

    public void SetResult() => _core.SetResult(true);

    public void SetException(Exception error) => _core.SetException(error);

    public void GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            _pool.Return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
