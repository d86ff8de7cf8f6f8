namespace EdgeAgent.Mqtt;

/// <summary>A bounded stack of <see cref="PublishOperation"/>s; it never holds more than the client's publish slots.</summary>
internal sealed class PublishOperationPool(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Stack<PublishOperation> _free = new(capacity);

    public PublishOperation Rent()
    {
        lock (_gate)
        {
            if (_free.TryPop(out var operation))
            {
                return operation;
            }
        }

        return new PublishOperation(this);
    }

    public void Return(PublishOperation operation)
    {
        lock (_gate)
        {
            if (_free.Count < capacity)
            {
                _free.Push(operation);
            }
        }
    }
}
