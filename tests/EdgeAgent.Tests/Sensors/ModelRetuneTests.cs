using EdgeAgent.Sensors;

namespace EdgeAgent.Tests.Sensors;

/// <summary>What a sensor stream's window and anomaly state do when an update brings a model with another normalisation and threshold.</summary>
public sealed class ModelRetuneTests
{
    private static readonly DateTimeOffset s_start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Renormalised_samples_already_held_equal_those_normalised_by_the_new_model_from_the_start()
    {
        var retuned = new WindowAssembler(2, 3, 1, [10f, -1f], [2f, 0.5f]);
        var fresh = new WindowAssembler(2, 3, 1, [4f, 0f], [0.25f, 8f]);
        for (var i = 0; i < 5; i++)
        {
            retuned.Add([10 + (2 * i), -1 + i], s_start.AddMilliseconds(i));
            fresh.Add([10 + (2 * i), -1 + i], s_start.AddMilliseconds(i));
        }

        retuned.Renormalise([4f, 0f], [0.25f, 8f]);
        retuned.Add([3f, 5f], s_start.AddMilliseconds(5));
        fresh.Add([3f, 5f], s_start.AddMilliseconds(5));

        var expected = new float[6];
        var actual = new float[6];
        fresh.CopyTo(expected);
        retuned.CopyTo(actual);
        Assert.Equal(expected, actual, (a, b) => Math.Abs(a - b) < 1e-4f);
        Assert.Throws<ArgumentException>(() => retuned.Renormalise([0f], null));
    }

    [Fact]
    public void Retuned_hysteresis_keeps_an_anomaly_going_and_judges_the_next_windows_by_the_new_thresholds()
    {
        var hysteresis = new AnomalyHysteresis(1f, 0.5f, enterWindows: 1, leaveWindows: 2);
        Assert.Equal(AnomalyTransition.Started, hysteresis.Update(2f));

        hysteresis.Retune(10f, 5f);

        Assert.True(hysteresis.Active);
        Assert.Equal(AnomalyTransition.None, hysteresis.Update(4f));
        Assert.Equal(AnomalyTransition.Ended, hysteresis.Update(4f));
        Assert.Equal(AnomalyTransition.None, hysteresis.Update(9f));
        Assert.Equal(AnomalyTransition.Started, hysteresis.Update(10f));
        Assert.Throws<ArgumentOutOfRangeException>(() => hysteresis.Retune(1f, 2f));
    }
}
