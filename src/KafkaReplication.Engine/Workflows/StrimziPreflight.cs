using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Workflows;

/// <summary>
/// Refuses to deploy to a cluster without the Strimzi CRDs, before anything is written. Without this check the API
/// server answers 404 for the Strimzi kinds only after the namespace, Secrets and ConfigMaps were applied.
/// </summary>
public static class StrimziPreflight
{
    public static async Task EnsureServedAsync(KubeGateway kube, IOperationLog log, CancellationToken ct)
    {
        var (group, version) = FlowManifestBuilder.StrimziApiVersion.Split('/') is [var g, var v] ? (g, v) : throw new InvalidOperationException("group/version expected");
        var served = await kube.ServedVersionsAsync(group, ct).ConfigureAwait(false);
        if (served is null)
        {
            log.Verbose($"API discovery is not allowed for this user; not checking that {FlowManifestBuilder.StrimziApiVersion} is served.");
            return;
        }
        if (served.Contains(version)) return;
        throw new ReplicationException(ReplicationErrorKind.PreconditionFailed, "StrimziNotInstalled",
            served.Count == 0
                ? $"The Kubernetes cluster does not serve the {group} API: the Strimzi operator's CRDs (KafkaConnect, KafkaConnector) are not installed. Nothing was changed."
                : $"The Kubernetes cluster serves {group} only in version(s) {string.Join(", ", served)}, not {version}, which this module writes. Nothing was changed.",
            FlowManifestBuilder.StrimziApiVersion)
        {
            RecommendedAction = "Install the Strimzi operator (https://strimzi.io/install/) in the cluster, or check -Context and the kubeconfig.",
        };
    }
}
