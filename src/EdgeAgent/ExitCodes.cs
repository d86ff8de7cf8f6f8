namespace EdgeAgent;

/// <summary>The exit codes every edge-agent tool uses (CONTRACT.md section 2).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The operation was refused or failed.</summary>
    public const int Failed = 1;

    /// <summary>A usage or configuration error; the message names the option or key.</summary>
    public const int Usage = 2;

    public const int TimedOut = 3;

    public const int BrokerUnreachable = 4;
}
