using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Strimzi;

namespace KafkaReplication.Engine.Strimzi;

/// <summary>
/// Refuses to deploy to a cluster without the Strimzi CRDs, or whose Strimzi does not serve the API version the flow
/// was rendered for, before anything is written. Without this check the API server answers 404 for the Strimzi kinds
/// only after the namespace, Secrets and ConfigMaps were applied.
/// </summary>
public static class StrimziPreflight
{
    /// <param name="apiVersion">The kafka.strimzi.io apiVersion the flow's objects are written in (v1beta2 or v1).</param>
    public static async Task EnsureServedAsync(KubeGateway kube, IOperationLog log, CancellationToken ct, string apiVersion = StrimziApi.V1Beta2)
    {
        var group = StrimziApi.Group;
        var version = StrimziApi.VersionOf(apiVersion);
        var served = await kube.ServedVersionsAsync(group, ct).ConfigureAwait(false);
        if (served is null)
        {
            log.Verbose($"API discovery is not allowed for this user; not checking that {apiVersion} is served.");
            return;
        }
        if (served.Contains(version)) return;
        throw new ReplicationException(ReplicationErrorKind.PreconditionFailed, "StrimziNotInstalled",
            served.Count == 0
                ? $"The Kubernetes cluster does not serve the {group} API: the Strimzi operator's CRDs (KafkaConnect, KafkaConnector) are not installed. Nothing was changed."
                : $"The Kubernetes cluster serves {group} only in version(s) {string.Join(", ", served)}, not {version}, which the flow was rendered for. Nothing was changed.",
            apiVersion)
        {
            RecommendedAction = served.Count == 0
                ? "Install the Strimzi operator (https://strimzi.io/install/) in the cluster, or check -Context and the kubeconfig."
                : "Leave -StrimziVersion (flow file: strimziVersion) out so the flow is rendered for the cluster's Strimzi, or give the release the cluster runs.",
        };
    }
}
