namespace EdgeAgent.Updates;

/// <summary>An update refused at some step; the message is the reason published with <c>model_rejected</c>.</summary>
public sealed class UpdateRejectedException : Exception
{
    public UpdateRejectedException()
    {
    }

    public UpdateRejectedException(string message)
        : base(message)
    {
    }

    public UpdateRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
