using System.Collections;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Failover;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Workflows;

namespace KafkaReplication.Hosting;

/// <summary>Builds the module's Kafka gateways for a flow's source or target from a reference or the flow's resources.</summary>
internal static class KafkaConnections
{
    public static Dictionary<string, string>? Extra(Hashtable? config) =>
        config?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "");

    public static KafkaGateway Gateway(ReplicationClusterReference cluster, string? bootstrap, Hashtable? config, IOperationLog log,
        string bootstrapParameter = "-TargetBootstrapServers") =>
        new(new KafkaClientSettings(cluster)
        {
            BootstrapServersOverride = bootstrap,
            BootstrapServersParameter = bootstrapParameter,
            ExtraConfig = Extra(config) ?? new Dictionary<string, string>(),
        }, log);

    public static async Task<ReplicationClusterReference> TargetAsync(KubeGateway kube, FlowHandle flow, ReplicationClusterReference? given,
        Hashtable? config, CancellationToken ct) =>
        given ?? await TargetClusterResolver.ResolveAsync(kube, flow, config is { Count: > 0 }, ct).ConfigureAwait(false);
}
