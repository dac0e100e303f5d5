using System.Text.Json.Nodes;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Flows;

/// <summary>A connector of a live flow, as its KafkaConnector resource describes it.</summary>
public sealed record FlowConnector(string Name, string Role, string DesiredState, JsonObject Config);

/// <summary>
/// A deployed flow resolved from the cluster: its KafkaConnect (whose annotations say the aliases and policy) and
/// its KafkaConnectors. Everything the operating workflows need, read in two list calls.
/// </summary>
public sealed record FlowHandle(string Name, string Namespace, string ConnectCluster, string SourceAlias, string? TargetAlias,
    ReplicationPolicy Policy, IReadOnlyList<FlowConnector> Connectors)
{
    public IEnumerable<FlowConnector> SourceConnectors => Connectors.Where(c => c.Role == "source");

    /// <summary>
    /// The group ids the flow's checkpoint connectors name literally (their `groups` list without regexes): what
    /// -Group completes to and what wildcards match, since consumer groups are never listed from the cluster.
    /// </summary>
    public IReadOnlyList<string> CheckpointGroupNames => Connectors.Where(c => c.Role == "checkpoint")
        .SelectMany(c => (c.Config["groups"]?.ToString() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .Where(g => !System.Text.RegularExpressions.Regex.IsMatch(g, @"[\\^$.|?*+()\[\]{}]")).Distinct(StringComparer.Ordinal).ToList();

    public string TargetTopicFor(string topic) => Policy == ReplicationPolicy.Identity ? topic : $"{SourceAlias}.{topic}";

    /// <summary>The flow's source connector when it has exactly one; otherwise the caller must name one.</summary>
    public FlowConnector SingleSourceConnector()
    {
        var sources = SourceConnectors.ToList();
        return sources.Count == 1 ? sources[0] : throw ReplicationException.Invalid("ConnectorRequired",
            $"Flow '{Name}' has {sources.Count} source connectors; give -Connector ({string.Join(", ", sources.Select(s => s.Name))}).", Name);
    }

    public FlowConnector Connector(string name) => Connectors.FirstOrDefault(c => c.Name == name)
        ?? throw new ReplicationException(ReplicationErrorKind.NotFound, "ConnectorNotInFlow", $"Flow '{Name}' has no connector '{name}'.", name);

    public static async Task<FlowHandle> ResolveAsync(KubeGateway kube, string ns, string flow, CancellationToken ct)
    {
        var strimzi = FlowManifestBuilder.StrimziApiVersion;
        var connects = await kube.ListAsync(strimzi, Kinds.KafkaConnect, ns, FlowLabels.FlowSelector(flow), ct).ConfigureAwait(false);
        var connect = connects.FirstOrDefault() ?? throw new ReplicationException(ReplicationErrorKind.NotFound, "FlowNotFound",
            $"No replication flow '{flow}' in namespace '{ns}' (no KafkaConnect labelled {FlowLabels.Flow}={flow}).", flow)
        {
            RecommendedAction = "Check the name with Get-ReplicationFlow -AllNamespaces.",
        };
        var annotations = connect["metadata"]?["annotations"];
        var connectors = await kube.ListAsync(strimzi, Kinds.KafkaConnector, ns, FlowLabels.FlowSelector(flow), ct).ConfigureAwait(false);
        return new FlowHandle(
            flow, ns, (string)connect["metadata"]!["name"]!,
            (string?)annotations?[FlowLabels.SourceAliasAnnotation] ?? throw new ReplicationException(ReplicationErrorKind.PreconditionFailed,
                "FlowAnnotationMissing", $"KafkaConnect {ns}/{connect["metadata"]!["name"]} lacks the annotation {FlowLabels.SourceAliasAnnotation}; redeploy the flow with New-ReplicationFlow.", flow),
            (string?)annotations?[FlowLabels.TargetAliasAnnotation],
            Enum.TryParse<ReplicationPolicy>((string?)annotations?[FlowLabels.PolicyAnnotation], out var p) ? p : ReplicationPolicy.Default,
            connectors.Select(c => new FlowConnector(
                (string)c["metadata"]!["name"]!,
                (string?)c["metadata"]?["labels"]?[FlowLabels.ConnectorRole] ?? "unknown",
                (string?)c["spec"]?["state"] ?? ((bool?)c["spec"]?["pause"] == true ? "paused" : "running"),
                c["spec"]?["config"] as JsonObject ?? new JsonObject()))
                .OrderBy(c => c.Name, StringComparer.Ordinal).ToList());
    }
}
