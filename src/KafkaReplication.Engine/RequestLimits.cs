namespace KafkaReplication.Engine;

/// <summary>
/// How long one request to a server (Kubernetes API, Kafka Connect REST, a Kafka broker) may take. The cmdlets'
/// -RequestTimeout sets it per invocation; the gateways bound each request by it.
/// </summary>
public sealed record RequestLimits
{
    /// <summary>30 s: no single request hangs longer by default (issue 8).</summary>
    public static RequestLimits Default { get; } = new();

    public TimeSpan Request { get; init; } = TimeSpan.FromSeconds(30);
}
