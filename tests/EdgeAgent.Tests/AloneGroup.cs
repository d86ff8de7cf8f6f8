namespace EdgeAgent.Tests;

/// <summary>
/// Tests that count what the scheduler does (wake-ups against sleeps of a few milliseconds): run after the parallel
/// ones, alone, since the rest of the suite keeps both CPUs busy and makes their threads late by more than they allow.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneGroup
{
    public const string Name = "alone";
}
