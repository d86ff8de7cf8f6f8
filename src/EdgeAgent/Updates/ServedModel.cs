using EdgeAgent.Models;
using EdgeAgent.Onnx;

namespace EdgeAgent.Updates;

/// <summary>
/// One loaded version of a model: its package and the session every stream of that model shares. The session is
/// disposed when the registry has let go of it and the last stream's runner over it has been released.
/// </summary>
internal sealed class ServedModel(ModelPackage package, InferenceSession session)
{
    private readonly Lock _gate = new();
    private int _holders = 1;

    public ModelPackage Package { get; } = package;

    public InferenceSession Session { get; } = session;

    /// <summary>One more holder (a stream's runner); <see cref="Release"/> once when done.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_holders == 0, this);
            _holders++;
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            if (--_holders > 0)
            {
                return;
            }
        }

        Session.Dispose();
    }
}
