namespace EdgeAgent.Sensors.Sim;

/// <summary>What the simulator injects, in turn: each is something a vibration sensor shows when a machine goes wrong.</summary>
public enum SimAnomaly
{
    None,

    /// <summary>Knocks: a pulse of 3 x the amplitude every 0.1 s.</summary>
    Spikes,

    /// <summary>The machine runs at 2.3 x its frequency.</summary>
    FrequencyShift,

    /// <summary>Rattle: 6 x the noise.</summary>
    NoiseBurst,

    /// <summary>The sensor's zero moves by 1.5 x the amplitude.</summary>
    Offset,
}
