using System.Text.Json.Nodes;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Flows;

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
            Remember(kind, ns, items);
            result.AddRange(items.Select(i => (apiVersion, kind, (string)i["metadata"]!["name"]!)).OrderBy(x => x.Item3, StringComparer.Ordinal));
        }
        return result;
    }

    /// <summary>The flow's runbook progress records (Invoke-Controlled*): they go when the flow is removed, after its objects.</summary>
    public async Task<IReadOnlyList<(string ApiVersion, string Kind, string Name)>> GetRunbookRecordsAsync(string flow, string ns, CancellationToken ct)
    {
        var items = await _kube.ListAsync("v1", "ConfigMap", ns, $"{FlowLabels.RunbookOf}={flow}", ct).ConfigureAwait(false);
        Remember("ConfigMap", ns, items);
        return items.Select(i => ("v1", "ConfigMap", (string)i["metadata"]!["name"]!)).ToList();
    }

    /// <summary>True when the namespace exists and was created by this flow.</summary>
    public async Task<bool> NamespaceBelongsToFlowAsync(string flow, string ns, CancellationToken ct) =>
        (await InspectNamespaceAsync(ns, new[] { flow }, ct).ConfigureAwait(false)).CreatedBy(new[] { flow });

    /// <summary>Kinds looked at for objects that deleting a namespace would take with it.</summary>
    private static readonly (string ApiVersion, string Kind)[] NamespaceContentKinds = [.. RemovalOrder, ("v1", "Pod")];

    /// <summary>
    /// Who created the namespace, and what deleting it would take besides the objects of <paramref name="flows"/>:
    /// other flows' objects, and objects that no flow created (a controller's objects, e.g. Strimzi's pods and
    /// ConfigMaps of a KafkaConnect, go with their owner; so do the ConfigMap and token Secrets Kubernetes puts in
    /// every namespace). Looks at the flows' kinds and Pods.
    /// </summary>
    public async Task<NamespaceContents> InspectNamespaceAsync(string ns, IReadOnlyCollection<string> flows, CancellationToken ct)
    {
        var live = await _kube.GetAsync("v1", "Namespace", null, ns, ct).ConfigureAwait(false);
        if (live is null) return new NamespaceContents(ns, false, [], [], []);
        var labels = live["metadata"]?["labels"] as JsonObject;
        var owners = labels?.Where(l => l.Key.StartsWith(FlowLabels.NamespaceOwnerPrefix, StringComparison.Ordinal))
            .Select(l => l.Key[FlowLabels.NamespaceOwnerPrefix.Length..]).Order(StringComparer.Ordinal).ToList() ?? [];
        // Created before the per-flow labels: the flow label is the only record.
        if (owners.Count == 0 && (string?)labels?[FlowLabels.Flow] is { } legacy) owners.Add(legacy);

        var otherFlows = new SortedSet<string>(StringComparer.Ordinal);
        var foreign = new List<string>();
        foreach (var (apiVersion, kind) in NamespaceContentKinds)
        {
            foreach (var o in await _kube.ListAsync(apiVersion, kind, ns, "", ct).ConfigureAwait(false))
            {
                var l = o["metadata"]?["labels"];
                var flow = (string?)l?[FlowLabels.RunbookOf]
                    ?? ((string?)l?[FlowLabels.ManagedBy] == FlowLabels.ManagerName ? (string?)l?[FlowLabels.Flow] : null);
                if (flow is not null)
                {
                    if (!flows.Contains(flow)) otherFlows.Add(flow);
                    continue;
                }
                if (OwnedByController(o) || BuiltIn(kind, o)) continue;
                foreign.Add($"{kind} {o["metadata"]?["name"]}");
            }
        }
        return new NamespaceContents(ns, true, owners, otherFlows.ToList(), foreign);
    }

    private static bool OwnedByController(JsonObject o) =>
        o["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 } refs
        && refs.All(r => ((string?)r?["apiVersion"])?.StartsWith("kafka.strimzi.io/", StringComparison.Ordinal) == true
                         || ((string?)r?["apiVersion"])?.StartsWith("core.strimzi.io/", StringComparison.Ordinal) == true);

    private static bool BuiltIn(string kind, JsonObject o) =>
        (kind == "ConfigMap" && (string?)o["metadata"]?["name"] == "kube-root-ca.crt")
        || (kind == "Secret" && (string?)o["type"] == "kubernetes.io/service-account-token");

    /// <summary>
    /// Deletes an object; one this inventory listed is deleted only if it still has the uid it had then (a uid
    /// precondition), so an object someone re-created under that name since (a user's ConfigMap, say) is kept.
    /// </summary>
    public Task<bool> DeleteAsync(string apiVersion, string kind, string? ns, string name, CancellationToken ct)
    {
        _log.Progress(2, "Removing replication flow", $"{kind} {ns}/{name}", -1);
        return _kube.DeleteAsync(apiVersion, kind, ns, name, ct, _listedUids.GetValueOrDefault((kind, ns, name)));
    }

    private readonly Dictionary<(string Kind, string? Ns, string Name), string> _listedUids = [];

    private void Remember(string kind, string? ns, IEnumerable<JsonObject> items)
    {
        foreach (var i in items)
            if ((string?)i["metadata"]?["uid"] is { } uid) _listedUids[(kind, ns, (string)i["metadata"]!["name"]!)] = uid;
    }
}

/// <summary>A namespace as Remove-ReplicationFlow -IncludeNamespace sees it.</summary>
public sealed record NamespaceContents(string Namespace, bool Exists, IReadOnlyList<string> Owners, IReadOnlyList<string> OtherFlows, IReadOnlyList<string> ForeignObjects)
{
    /// <summary>True when one of the flows created the namespace (and so may delete it).</summary>
    public bool CreatedBy(IEnumerable<string> flows) => Exists && flows.Any(Owners.Contains);

    /// <summary>What else deleting the namespace would delete, for a message; empty when nothing.</summary>
    public string Others()
    {
        var parts = new List<string>();
        if (OtherFlows.Count > 0) parts.Add($"flow{(OtherFlows.Count > 1 ? "s" : "")} {string.Join(", ", OtherFlows.Select(f => $"'{f}'"))}");
        if (ForeignObjects.Count > 0)
            parts.Add($"objects no flow created: {string.Join(", ", ForeignObjects.Take(10))}{(ForeignObjects.Count > 10 ? $" and {ForeignObjects.Count - 10} more" : "")}");
        return string.Join("; ", parts);
    }
}
