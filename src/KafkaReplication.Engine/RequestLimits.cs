namespace KafkaReplication.Engine;

/// <summary>
/// How long one request to Kubernetes, Kafka Connect or Kafka may take before it ends in a module timeout error.
/// Waits (-Timeout) are separate: a wait is made of many requests, each under this limit.
/// </summary>
public sealed record RequestLimits
{
    /// <summary>The per-request limit: no single request may hang longer (default 30 s).</summary>
    public TimeSpan Request { get; init; } = TimeSpan.FromSeconds(30);

    public static RequestLimits Default { get; } = new();
}
