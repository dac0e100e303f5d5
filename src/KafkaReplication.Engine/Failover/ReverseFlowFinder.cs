using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Failover;

/// <summary>The guide's failback preconditions: a reverse flow (target → source) and no Identity policy.</summary>
public static class ReverseFlowFinder
{
    public static async Task<string> FindAsync(KubeGateway kube, FlowHandle flow, string? given, CancellationToken ct)
    {
        if (flow.Policy == ReplicationPolicy.Identity)
            throw new ReplicationException(ReplicationErrorKind.PreconditionFailed, "FailbackUnsupported",
                $"Flow '{flow.Name}' uses the IdentityReplicationPolicy: topic names are not changed, so replicating back over the same topics " +
                "would loop between the clusters. Remove this flow and deploy one in the reverse direction before failing back.", flow.Name);
        if (given is not null) return given;
        var connects = await kube.ListAsync(FlowManifestBuilder.StrimziApiVersion, Kinds.KafkaConnect, flow.Namespace, FlowLabels.Flow, ct).ConfigureAwait(false);
        foreach (var c in connects)
        {
            var a = c["metadata"]?["annotations"];
            if ((string?)a?[FlowLabels.SourceAliasAnnotation] == flow.TargetAlias && (string?)a?[FlowLabels.TargetAliasAnnotation] == flow.SourceAlias)
                return (string?)c["metadata"]?["labels"]?[FlowLabels.Flow] ?? "";
        }
        throw new ReplicationException(ReplicationErrorKind.PreconditionFailed, "ReverseFlowMissing",
            $"No flow in namespace '{flow.Namespace}' replicates from '{flow.TargetAlias}' back to '{flow.SourceAlias}'. A failback needs bidirectional " +
            "replication: data produced on the target after the failover exists only there.", flow.Name)
        {
            RecommendedAction = $"Deploy the reverse flow with New-ReplicationFlow -Source <{flow.TargetAlias}> -Target <{flow.SourceAlias}>, or name it with -ReverseFlow.",
        };
    }
}
