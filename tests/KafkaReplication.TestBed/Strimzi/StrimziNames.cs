using System.Text.Json;
using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Strimzi;

/// <summary>Strimzi's resource names, labels and annotations (api/.../KafkaConnectResources.java, operator-common Annotations.java).</summary>
internal static class StrimziNames
{
    public const string Group = "kafka.strimzi.io";
    public const string ApiVersion = "kafka.strimzi.io/v1beta2";
    public const string KafkaConnect = "KafkaConnect";
    public const string KafkaConnector = "KafkaConnector";

    public const string ClusterLabel = "strimzi.io/cluster";
    public const string KindLabel = "strimzi.io/kind";
    public const string NameLabel = "strimzi.io/name";

    public const string UseConnectorResources = "strimzi.io/use-connector-resources";
    public const string Restart = "strimzi.io/restart";
    public const string RestartTask = "strimzi.io/restart-task";
    public const string ConnectorOffsets = "strimzi.io/connector-offsets";
    public const string Revision = "strimzi.io/revision";

    public const int RestPort = 8083;

    /// <summary>The JMX Prometheus exporter's port on the Connect pods (container port tcp-prometheus).</summary>
    public const int MetricsPort = 9404;

    /// <summary>The component name: pods are <c>&lt;component&gt;-&lt;i&gt;</c>, the ServiceAccount has this name.</summary>
    public static string Component(string cluster) => cluster + "-connect";

    public static string ApiService(string cluster) => cluster + "-connect-api";

    public static string Pod(string cluster, int index) => $"{Component(cluster)}-{index}";

    public static string Url(string cluster, string ns) => $"http://{ApiService(cluster)}.{ns}.svc:{RestPort}";

    public static JsonObject SelectorLabels(string cluster) => new()
    {
        [ClusterLabel] = cluster,
        [NameLabel] = Component(cluster),
        [KindLabel] = KafkaConnect,
    };

    public static string SelectorString(string cluster) =>
        string.Join(",", SelectorLabels(cluster).Select(p => $"{p.Key}={p.Value}"));

    public static JsonObject OwnerReference(JsonObject owner, bool controller) => new()
    {
        ["apiVersion"] = owner["apiVersion"]?.ToString() ?? ApiVersion,
        ["kind"] = owner["kind"]?.ToString(),
        ["name"] = Str(owner, "metadata", "name"),
        ["uid"] = Str(owner, "metadata", "uid"),
        ["controller"] = controller,
        ["blockOwnerDeletion"] = false,
    };

    /// <summary>A string at a path, or null when missing or not a string.</summary>
    public static string? Str(JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = (node as JsonObject)?[key];
        }

        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
    }

    public static long Long(JsonNode? node, long fallback, params string[] path)
    {
        foreach (var key in path)
        {
            node = (node as JsonObject)?[key];
        }

        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<long>() : fallback;
    }

    public static string? Annotation(JsonObject obj, string key) => Str(obj, "metadata", "annotations", key);

    public static string? Label(JsonObject obj, string key) => Str(obj, "metadata", "labels", key);

    public static bool IsDeleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;
}
