using System.Text.Json.Nodes;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Workflows;

/// <summary>Finds deployed flows by their labels, and removes exactly the objects a flow created.</summary>
public sealed class FlowInventory
{
    private const string Strimzi = FlowManifestBuilder.StrimziApiVersion;

    /// <summary>Kinds a flow consists of, in the order they are removed (dependents first; Namespace last, apart).</summary>
    internal static readonly (string ApiVersion, string Kind)[] RemovalOrder =
    {
        (Strimzi, "KafkaConnector"),
        (Strimzi, "KafkaConnect"),
        ("rbac.authorization.k8s.io/v1", "RoleBinding"),
        ("rbac.authorization.k8s.io/v1", "Role"),
        ("v1", "ConfigMap"),
        ("v1", "Secret"),
    };

    private readonly KubeGateway _kube;
    private readonly IOperationLog _log;

    public FlowInventory(KubeGateway kube, IOperationLog log)
    {
        _kube = kube;
        _log = log;
    }

    /// <summary>Flows in a namespace (or all, when ns is null), optionally filtered by name wildcard. One list call per kind.</summary>
    public async Task<IReadOnlyList<ReplicationFlow>> GetFlowsAsync(string? ns, Func<string, bool>? nameFilter, CancellationToken ct)
    {
        var connects = await _kube.ListAsync(Strimzi, "KafkaConnect", ns, FlowLabels.ManagedSelector, ct).ConfigureAwait(false);
        var connectors = await _kube.ListAsync(Strimzi, "KafkaConnector", ns, FlowLabels.ManagedSelector, ct).ConfigureAwait(false);
        var flows = new List<ReplicationFlow>();
        var keys = connects.Concat(connectors)
            .Select(o => (Ns: (string?)o["metadata"]?["namespace"] ?? "", Flow: FlowOf(o)))
            .Where(k => k.Flow is not null)
            .Distinct()
            .OrderBy(k => k.Ns, StringComparer.Ordinal).ThenBy(k => k.Flow, StringComparer.Ordinal);
        foreach (var (flowNs, flow) in keys)
        {
            if (nameFilter is not null && !nameFilter(flow!)) continue;
            var kc = connects.FirstOrDefault(o => FlowOf(o) == flow && Ns(o) == flowNs);
            var cs = connectors.Where(o => FlowOf(o) == flow && Ns(o) == flowNs).Select(ToSummary).OrderBy(c => RoleOrder(c.Role)).ToList();
            var annotations = kc?["metadata"]?["annotations"];
            var (ready, reason) = ReadyCondition(kc);
            flows.Add(new ReplicationFlow
            {
                Name = flow!,
                Namespace = flowNs,
                ConnectCluster = (string?)kc?["metadata"]?["name"],
                SourceAlias = (string?)annotations?[FlowLabels.SourceAliasAnnotation],
                TargetAlias = (string?)annotations?[FlowLabels.TargetAliasAnnotation],
                ReplicationPolicy = Enum.TryParse<ReplicationPolicy>((string?)annotations?[FlowLabels.PolicyAnnotation], out var p) ? p : null,
                StrimziVersion = (string?)annotations?[FlowLabels.StrimziVersionAnnotation],
                ConnectReplicas = (int?)kc?["spec"]?["replicas"],
                ConnectReady = ready,
                ConnectReason = kc is null ? "KafkaConnect not found" : reason,
                Connectors = cs,
            });
        }
        return flows;
    }

    private static string? FlowOf(JsonObject o) => (string?)o["metadata"]?["labels"]?[FlowLabels.Flow];
    private static string Ns(JsonObject o) => (string?)o["metadata"]?["namespace"] ?? "";
    private static int RoleOrder(string role) => role switch { "source" => 0, "checkpoint" => 1, "heartbeat" => 2, _ => 3 };

    public static (bool? Ready, string? Reason) ReadyCondition(JsonObject? o)
    {
        var conditions = o?["status"]?["conditions"] as JsonArray;
        var ready = conditions?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Ready");
        if (ready is null)
        {
            var notReady = conditions?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "NotReady");
            return notReady is null ? (null, null) : (false, (string?)notReady["reason"] ?? (string?)notReady["message"]);
        }
        var ok = string.Equals((string?)ready["status"], "True", StringComparison.OrdinalIgnoreCase);
        return (ok, ok ? null : (string?)ready["reason"] ?? (string?)ready["message"]);
    }

    private static ReplicationConnectorSummary ToSummary(JsonObject o)
    {
        var (ready, reason) = ReadyCondition(o);
        return new ReplicationConnectorSummary
        {
            Name = (string)o["metadata"]!["name"]!,
            Role = (string?)o["metadata"]?["labels"]?[FlowLabels.ConnectorRole] ?? "unknown",
            ConnectorClass = (string?)o["spec"]?["class"],
            DesiredState = (string?)o["spec"]?["state"] ?? "running",
            State = (string?)o["status"]?["connectorStatus"]?["connector"]?["state"],
            Ready = ready,
            Reason = reason,
            TasksMax = (int?)o["spec"]?["tasksMax"],
        };
    }

    /// <summary>Every object carrying the flow's labels in its namespace, in removal order.</summary>
    public async Task<IReadOnlyList<(string ApiVersion, string Kind, string Name)>> GetFlowObjectsAsync(string flow, string ns, CancellationToken ct)
    {
        var result = new List<(string, string, string)>();
        foreach (var (apiVersion, kind) in RemovalOrder)
        {
            var items = await _kube.ListAsync(apiVersion, kind, ns, FlowLabels.FlowSelector(flow), ct).ConfigureAwait(false);
            result.AddRange(items.Select(i => (apiVersion, kind, (string)i["metadata"]!["name"]!)).OrderBy(x => x.Item3, StringComparer.Ordinal));
        }
        return result;
    }

    /// <summary>The flow's runbook progress records (Invoke-Controlled*): they go when the flow is removed, after its objects.</summary>
    public async Task<IReadOnlyList<(string ApiVersion, string Kind, string Name)>> GetRunbookRecordsAsync(string flow, string ns, CancellationToken ct)
    {
        var items = await _kube.ListAsync("v1", "ConfigMap", ns, $"{FlowLabels.RunbookOf}={flow}", ct).ConfigureAwait(false);
        return items.Select(i => ("v1", "ConfigMap", (string)i["metadata"]!["name"]!)).ToList();
    }

    /// <summary>True when the namespace exists and was created by this flow (carries its flow label).</summary>
    public async Task<bool> NamespaceBelongsToFlowAsync(string flow, string ns, CancellationToken ct)
    {
        var live = await _kube.GetAsync("v1", "Namespace", null, ns, ct).ConfigureAwait(false);
        return (string?)live?["metadata"]?["labels"]?[FlowLabels.Flow] == flow;
    }

    public Task<bool> DeleteAsync(string apiVersion, string kind, string? ns, string name, CancellationToken ct)
    {
        _log.Progress(2, "Removing replication flow", $"{kind} {ns}/{name}", -1);
        return _kube.DeleteAsync(apiVersion, kind, ns, name, ct);
    }
}
