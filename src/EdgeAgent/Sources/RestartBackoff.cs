using Polly;
using Polly.Retry;

namespace EdgeAgent.Sources;

/// <summary>
/// How a source that keeps failing is started again, cameras and sensors alike: for ever, with capped exponential
/// backoff and jitter, retrying only the failure kind the source throws for "not healthy yet".
/// </summary>
internal static class RestartBackoff
{
    /// <summary><paramref name="onRetry"/> gets the delay before the next start and that start's attempt number.</summary>
    public static ResiliencePipeline Create<TFailure>(TimeProvider time, TimeSpan delay, TimeSpan maxDelay, Action<TimeSpan, int> onRetry)
        where TFailure : Exception =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<TFailure>(),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = delay,
                MaxDelay = maxDelay,
                OnRetry = args =>
                {
                    onRetry(args.RetryDelay, args.AttemptNumber + 1);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
