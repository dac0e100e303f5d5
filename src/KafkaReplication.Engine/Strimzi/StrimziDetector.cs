using System.Text.Json.Nodes;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Strimzi;

/// <summary>
/// Reads which Strimzi a cluster runs: API discovery (readable by every user) and, best effort, the
/// strimzi-cluster-operator Deployment (packaging/install/cluster-operator/060-Deployment-strimzi-cluster-operator.yaml:
/// label app=strimzi, image quay.io/strimzi/operator:&lt;release&gt;, env STRIMZI_KAFKA_CONNECT_IMAGES with one
/// "&lt;kafka version&gt;=&lt;image&gt;" per line). A user who may not list Deployments still gets the served versions.
/// </summary>
public static class StrimziDetector
{
    public const string OperatorSelector = "app=strimzi";
    private const string OperatorName = "strimzi-cluster-operator";

    public static async Task<DetectedStrimzi> DetectAsync(KubeGateway kube, IOperationLog log, CancellationToken ct)
    {
        var served = await kube.ServedVersionsAsync(StrimziApi.Group, ct).ConfigureAwait(false);
        if (served is { Count: 0 }) return new DetectedStrimzi { ServedApiVersions = served };
        JsonObject? deployment = null;
        try
        {
            var list = await kube.ListAsync("apps/v1", "Deployment", null, OperatorSelector, ct).ConfigureAwait(false);
            deployment = list.FirstOrDefault(d => (string?)d["metadata"]?["name"] == OperatorName) ?? list.FirstOrDefault(d => OperatorContainer(d) is not null);
        }
        catch (ReplicationException e) when (e.Kind is ReplicationErrorKind.PermissionDenied or ReplicationErrorKind.NotFound)
        {
            log.Verbose($"The Strimzi operator's Deployment cannot be read ({e.ErrorId}); the version is taken from the served API versions.");
        }
        var detected = FromOperator(deployment) with { ServedApiVersions = served };
        log.Verbose($"Detected {detected}.");
        return detected;
    }

    /// <summary>The operator's release and supported Kafka versions from its Deployment; empty for null.</summary>
    public static DetectedStrimzi FromOperator(JsonObject? deployment)
    {
        var container = OperatorContainer(deployment);
        if (container is null) return new DetectedStrimzi();
        var image = (string?)container["image"];
        var tag = image is not null && image.LastIndexOf(':') is var i and > 0 && !image[(i + 1)..].Contains('/') ? image[(i + 1)..] : null;
        var env = container["env"] as JsonArray ?? new JsonArray();
        string? Env(string name) => env.OfType<JsonObject>().Where(e => (string?)e["name"] == name).Select(e => (string?)e["value"]).FirstOrDefault();
        var images = Env("STRIMZI_KAFKA_CONNECT_IMAGES") ?? Env("STRIMZI_KAFKA_IMAGES");
        return new DetectedStrimzi
        {
            OperatorVersion = StrimziVersion.TryParse(tag) is { } v && v >= StrimziVersion.Oldest ? v : null,
            SupportedKafkaVersions = (images ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('=', 2)[0].Trim()).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    private static JsonObject? OperatorContainer(JsonObject? deployment) =>
        (deployment?["spec"]?["template"]?["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => (string?)c["name"] == OperatorName || ((string?)c["image"])?.Contains("/operator:", StringComparison.Ordinal) == true);
}
