namespace EdgeAgent.Protocol;

/// <summary>The exit codes every edge-agent tool uses, the daemon and edgectl alike (CONTRACT.md section 2).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The operation was refused or failed: a model or source that cannot start, a rejected or rolled-back update, a file that would be overwritten.</summary>
    public const int Failed = 1;

    /// <summary>A usage or configuration error; the message names the option or key and the value.</summary>
    public const int Usage = 2;

    public const int TimedOut = 3;

    /// <summary>The broker could not be reached or refused us.</summary>
    public const int BrokerUnreachable = 4;
}
