namespace EdgeCtl;

/// <summary>The exit codes every edge-agent tool uses (CONTRACT.md section 2).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The operation was refused or failed: a rejected or rolled-back update, a file that would be overwritten.</summary>
    public const int Failed = 1;

    /// <summary>A usage error; the message names the option and the value.</summary>
    public const int Usage = 2;

    public const int TimedOut = 3;

    /// <summary>The broker could not be reached or refused us.</summary>
    public const int BrokerUnreachable = 4;
}
