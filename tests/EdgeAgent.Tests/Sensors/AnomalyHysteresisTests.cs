using EdgeAgent.Sensors;

namespace EdgeAgent.Tests.Sensors;

public sealed class AnomalyHysteresisTests
{
    [Fact]
    public void One_noisy_window_does_not_start_an_anomaly()
    {
        var hysteresis = new AnomalyHysteresis(1f, 0.5f, enterWindows: 2, leaveWindows: 2);

        Assert.Equal(AnomalyTransition.None, hysteresis.Update(3f));
        Assert.Equal(AnomalyTransition.None, hysteresis.Update(0.1f));
        Assert.Equal(AnomalyTransition.None, hysteresis.Update(3f));
        Assert.False(hysteresis.Active);
        Assert.Equal(AnomalyTransition.Started, hysteresis.Update(1f));
        Assert.True(hysteresis.Active);
    }

    [Fact]
    public void Scores_between_the_thresholds_keep_an_anomaly_going_until_enough_fall_below_the_leave_threshold()
    {
        var hysteresis = new AnomalyHysteresis(1f, 0.5f, enterWindows: 1, leaveWindows: 2);
        Assert.Equal(AnomalyTransition.Started, hysteresis.Update(2f));

        Assert.Equal(AnomalyTransition.None, hysteresis.Update(0.7f));
        Assert.Equal(AnomalyTransition.None, hysteresis.Update(0.4f));
        Assert.Equal(AnomalyTransition.None, hysteresis.Update(0.7f));
        Assert.Equal(AnomalyTransition.None, hysteresis.Update(0.4f));
        Assert.True(hysteresis.Active);
        Assert.Equal(AnomalyTransition.Ended, hysteresis.Update(0.1f));
        Assert.False(hysteresis.Active);
    }

    [Fact]
    public void A_score_that_is_not_a_number_counts_as_abnormal()
    {
        var hysteresis = new AnomalyHysteresis(1f, 1f, enterWindows: 1, leaveWindows: 1);
        Assert.Equal(AnomalyTransition.Started, hysteresis.Update(float.NaN));
        Assert.Equal(AnomalyTransition.None, hysteresis.Update(float.NaN));
    }

    [Fact]
    public void A_leave_threshold_above_the_threshold_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AnomalyHysteresis(1f, 2f, 1, 1));
    }
}
