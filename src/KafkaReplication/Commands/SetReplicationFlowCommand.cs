using System.Management.Automation;
using System.Text.Json.Nodes;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Set-ReplicationFlow.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.Set, "ReplicationFlow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ReplicationManifestChange))]
public sealed class SetReplicationFlowCommand : FlowCmdlet
{
    /// <summary>Latest replicates partitions without a stored offset from their end: records already in them are skipped (at-least-once is broken).</summary>
    [Parameter(Mandatory = true)]
    public NewPartitionStart NewPartitionStart { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        var flow = ResolveFlow();
        var kube = Kube;
        foreach (var c in flow.SourceConnectors)
        {
            var current = c.Config["source.consumer.auto.offset.reset"]?.ToString();
            var wanted = NewPartitionStart == NewPartitionStart.Latest ? "latest" : null;
            if (string.Equals(current, wanted, StringComparison.OrdinalIgnoreCase))
            {
                WriteObject(new ReplicationManifestChange { Flow = flow.Name, Kind = Kinds.KafkaConnector, ObjectName = c.Name, Namespace = flow.Namespace, Action = ManifestAction.Unchanged });
                continue;
            }
            if (!ShouldProcess($"KafkaConnector {flow.Namespace}/{c.Name}", $"Set source.consumer.auto.offset.reset to {wanted ?? "(default: earliest)"}")) continue;
            if (wanted is not null)
                WriteWarning("New partitions (without a stored offset) will be replicated from their latest offset: records already in them are not replicated, which breaks the at-least-once guarantee of replication. Use only under special circumstances.");
            // A null in a merge patch removes the key (a JsonObject keeps the null, unlike an anonymous object).
            var patch = new JsonObject { ["spec"] = new JsonObject { ["config"] = new JsonObject { ["source.consumer.auto.offset.reset"] = wanted } } };
            Run(ct => kube.MergePatchAsync(FlowManifestBuilder.StrimziApiVersion, Kinds.KafkaConnector, flow.Namespace, c.Name, patch, ct));
            WriteObject(new ReplicationManifestChange
            {
                Flow = flow.Name, Kind = Kinds.KafkaConnector, ObjectName = c.Name, Namespace = flow.Namespace, Action = ManifestAction.Update,
                ChangedPaths = new[] { "spec.config.source.consumer.auto.offset.reset" },
            });
        }
    });
}
