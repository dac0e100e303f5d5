using k8s.Autorest;
using Polly;
using Polly.Retry;

namespace KafkaReplication.Engine.Kubernetes;

/// <summary>
/// The retry pipeline of the gateway's idempotent calls. Retried: 429 (the API server's priority and fairness),
/// 502/503/504, 500 with a Retry-After header, and dropped or refused connections; bounded, jittered, honouring
/// Retry-After up to the per-request limit. This is client-go's rule (rest/request.go: checkWait and
/// IsRetryableResponse retry 429 and 5xx that carry Retry-After) plus the gateway statuses that are transient by
/// definition. Every retry is reported on the verbose channel.
/// </summary>
internal static class KubeRetry
{
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(250);

    public static ResiliencePipeline Pipeline(RequestLimits limits, IOperationLog log) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = KubeGateway.MaxRetries,
                Delay = BaseDelay,
                MaxDelay = limits.Request,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Exception is HttpOperationException h
                    ? RetryAfter.Parse(RetryAfter.From(h.Response.Headers), limits.Request)
                    : null),
                OnRetry = args =>
                {
                    log.Verbose($"Kubernetes: {args.Context.OperationKey} failed ({Describe(args.Outcome.Exception)}); " +
                                $"retry {args.AttemptNumber + 1} of {KubeGateway.MaxRetries} in {args.RetryDelay.TotalMilliseconds:0} ms.");
                    return default;
                },
            })
            .Build();

    public static bool IsTransient(Exception e) => e switch
    {
        HttpOperationException h => (int)h.Response.StatusCode switch
        {
            429 or 502 or 503 or 504 => true,
            500 => RetryAfter.From(h.Response.Headers) is not null,
            _ => false,
        },
        HttpRequestException or IOException => true,
        _ => false,
    };

    private static string Describe(Exception? e) => e switch
    {
        HttpOperationException h => $"HTTP {(int)h.Response.StatusCode}",
        null => "an error",
        _ => e.Message,
    };
}
