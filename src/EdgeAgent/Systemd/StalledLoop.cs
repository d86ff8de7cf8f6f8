namespace EdgeAgent.Systemd;

/// <summary>A registered loop found past its deadline: its name, how long it has been silent and its limit.</summary>
public readonly record struct StalledLoop(string Name, TimeSpan Silence, TimeSpan MaxSilence);
