namespace EdgeAgent.Sensors;

public enum AnomalyTransition
{
    None,

    Started,

    Ended,
}
