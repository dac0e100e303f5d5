using System.Text.Json.Nodes;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Flows;

/// <summary>
/// Reads deployed flows back as manifests, so the offline checks (<see cref="Validation.ManifestValidator"/>) can run
/// on what is really in the cluster. Status and server fields are dropped, and Secret values are blanked on reading:
/// the checks need a Secret's keys, never its values.
/// </summary>
public sealed class LiveFlowReader(KubeGateway kube)
{
    /// <summary>Every object of one flow, found by its labels.</summary>
    public async Task<IReadOnlyList<ManifestObject>> ReadFlowAsync(string ns, string flow, CancellationToken ct)
    {
        var result = new List<ManifestObject>();
        foreach (var (apiVersion, kind) in Enumerable.Reverse(FlowInventory.RemovalOrder))
            result.AddRange((await kube.ListAsync(apiVersion, kind, ns, FlowLabels.FlowSelector(flow), ct).ConfigureAwait(false)).Select(Clean));
        if (!result.Any(o => o.Kind is Kinds.KafkaConnect or Kinds.KafkaConnector))
            throw new ReplicationException(ReplicationErrorKind.NotFound, "FlowNotFound", $"No replication flow '{flow}' in namespace '{ns}'.", flow)
            {
                RecommendedAction = "Check the name with Get-ReplicationFlow -AllNamespaces.",
            };
        return result;
    }

    /// <summary>
    /// The KafkaConnects, KafkaConnectors and ConfigMaps of every flow in the cluster; null when the caller may not list
    /// them across namespaces (the check that needs them is then skipped, not failed).
    /// </summary>
    public async Task<IReadOnlyList<ManifestObject>?> ReadAllFlowsAsync(IOperationLog log, CancellationToken ct)
    {
        try
        {
            var result = new List<ManifestObject>();
            foreach (var (apiVersion, kind) in new[] { ("v1", Kinds.ConfigMap), (FlowManifestBuilder.StrimziApiVersion, Kinds.KafkaConnect), (FlowManifestBuilder.StrimziApiVersion, Kinds.KafkaConnector) })
                result.AddRange((await kube.ListAsync(apiVersion, kind, null, FlowLabels.ManagedSelector, ct).ConfigureAwait(false)).Select(Clean));
            return result;
        }
        catch (ReplicationException e) when (e.Kind is ReplicationErrorKind.PermissionDenied)
        {
            log.Warning($"Cannot list flows in all namespaces ({e.Message}): the new flow was not compared with the flows already deployed.");
            return null;
        }
    }

    private static ManifestObject Clean(JsonObject live)
    {
        var o = (JsonObject)live.DeepClone();
        o.Remove("status");
        if (o["metadata"] is JsonObject md)
            foreach (var key in md.Select(kv => kv.Key).Where(k => k is not ("name" or "namespace" or "labels" or "annotations")).ToList())
                md.Remove(key);
        if ((string?)o["kind"] == Kinds.Secret)
        {
            if (o["data"] is JsonObject data)
                foreach (var key in data.Select(kv => kv.Key).ToList()) data[key] = "";
            o.Remove("stringData");
        }
        return new ManifestObject(o);
    }
}
