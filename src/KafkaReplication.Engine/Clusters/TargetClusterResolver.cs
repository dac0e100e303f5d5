using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Clusters;

/// <summary>
/// The target cluster of a deployed flow: the KafkaConnect's own bootstrapServers (Connect runs against the target).
/// Its credentials live in Strimzi's KafkaUser/Secret form, which this module does not read back: a secured target
/// needs -Target (or -TargetKafkaConfig with the client settings).
/// </summary>
public static class TargetClusterResolver
{
    public static async Task<ReplicationClusterReference> ResolveAsync(KubeGateway kube, FlowHandle flow, bool securityGivenElsewhere, CancellationToken ct)
    {
        var connect = await kube.GetAsync(FlowManifestBuilder.StrimziApiVersion, Kinds.KafkaConnect, flow.Namespace, flow.ConnectCluster, ct).ConfigureAwait(false)
            ?? throw new ReplicationException(ReplicationErrorKind.NotFound, "FlowNotFound", $"KafkaConnect {flow.Namespace}/{flow.ConnectCluster} does not exist.", flow.Name);
        var spec = connect["spec"];
        var bootstrap = (string?)spec?["bootstrapServers"] ?? throw new ReplicationException(ReplicationErrorKind.PreconditionFailed,
            "TargetConfigMissing", $"KafkaConnect {flow.Namespace}/{flow.ConnectCluster} has no spec.bootstrapServers; give -Target.", flow.Name);
        if ((spec?["tls"] is not null || spec?["authentication"] is not null) && !securityGivenElsewhere)
            throw new ReplicationException(ReplicationErrorKind.PreconditionFailed, "TargetCredentialsRequired",
                $"The target cluster of flow '{flow.Name}' uses TLS or authentication, whose settings the module cannot read back from the cluster.", flow.Name)
            {
                RecommendedAction = "Give -Target (New-ReplicationClusterReference for the target), or -TargetKafkaConfig with the client settings.",
            };
        return new ReplicationClusterReference { Alias = flow.TargetAlias ?? "target", BootstrapServers = bootstrap, SecurityProtocol = SecurityProtocol.Plaintext };
    }
}
