using System.Text.Json.Nodes;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Offsets;

/// <summary>
/// Offsets and states without the Connect REST API, through Strimzi 0.44+ (proposal 076, AbstractConnectOperator):
/// the annotation strimzi.io/connector-offsets = list | alter | reset on the KafkaConnector, with the offsets in a
/// ConfigMap (key offsets.json) named by spec.listOffsets.toConfigMap / spec.alterOffsets.fromConfigMap. The operator
/// removes the annotation when done, or leaves it and adds a Warning condition when it failed.
/// </summary>
public sealed class StrimziConnectorAccess(KubeGateway kube, string ns, string flow, IOperationLog log, TimeSpan timeout)
    : IConnectorOffsets, IConnectorStates, IPendingOffsetRequests
{
    public const string Annotation = "strimzi.io/connector-offsets";
    public const string Key = "offsets.json";
    private const string Strimzi = FlowManifestBuilder.StrimziApiVersion;

    public string Description => "Strimzi KafkaConnector offsets annotations (no Connect REST access needed)";

    public static string ListConfigMap(string connector) => $"{connector}-offsets";
    public static string AlterConfigMap(string connector) => $"{connector}-offsets-alter";

    /// <summary>True when the cluster's KafkaConnector CRD has spec.alterOffsets (Strimzi 0.44+); false when it lacks it or cannot be read.</summary>
    public static async Task<bool> IsSupportedAsync(KubeGateway kube, CancellationToken ct)
    {
        try
        {
            // A cluster that serves kafka.strimzi.io/v1 runs 0.49 or later (Strimzi.StrimziVersion).
            if (await kube.StrimziApiVersionAsync(ct).ConfigureAwait(false) == KafkaReplication.Engine.Strimzi.StrimziApi.V1) return true;
            var crd = await kube.GetAsync("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "kafkaconnectors.kafka.strimzi.io", ct).ConfigureAwait(false);
            return crd?["spec"]?["versions"] is JsonArray versions && versions.OfType<JsonObject>().Any(v =>
                v["schema"]?["openAPIV3Schema"]?["properties"]?["spec"]?["properties"]?["alterOffsets"] is not null);
        }
        catch (ReplicationException)
        {
            return false; // not allowed to read CRDs: use the REST API
        }
    }

    public async Task<IReadOnlyList<ConnectOffset>> ListAsync(string connector, CancellationToken ct)
    {
        await RequestAsync(connector, "list", new JsonObject { ["listOffsets"] = new JsonObject { ["toConfigMap"] = new JsonObject { ["name"] = ListConfigMap(connector) } } }, ct).ConfigureAwait(false);
        var cm = await kube.GetAsync("v1", "ConfigMap", ns, ListConfigMap(connector), ct).ConfigureAwait(false);
        var json = (string?)cm?["data"]?[Key] ?? throw new ReplicationException(ReplicationErrorKind.OperationFailed, "OffsetsListMissing",
            $"Strimzi did not write {Key} into ConfigMap {ns}/{ListConfigMap(connector)}.", connector);
        return (JsonNode.Parse(json)?["offsets"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
            .Select(o => new ConnectOffset((JsonObject)o["partition"]!.DeepClone(), o["offset"]?.DeepClone() as JsonObject)).ToList();
    }

    public async Task AlterAsync(string connector, IReadOnlyList<ConnectOffset> offsets, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["offsets"] = new JsonArray(offsets.Select(o => (JsonNode)new JsonObject { ["partition"] = o.Partition.DeepClone(), ["offset"] = o.Offset?.DeepClone() }).ToArray()),
        };
        var cm = new ManifestObject(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = AlterConfigMap(connector),
                ["namespace"] = ns,
                ["labels"] = new JsonObject { [FlowLabels.ManagedBy] = FlowLabels.ManagerName, [FlowLabels.PartOf] = FlowLabels.PartOfValue, [FlowLabels.Flow] = flow },
            },
            ["data"] = new JsonObject { [Key] = body.ToJsonString() },
        });
        // Force-applied: first make sure a ConfigMap of that name is this flow's, not a user's object taken over.
        var existing = await kube.GetAsync("v1", "ConfigMap", ns, AlterConfigMap(connector), ct).ConfigureAwait(false);
        if (existing is not null && (string?)existing["metadata"]?["labels"]?[FlowLabels.Flow] != flow)
            throw new ReplicationException(ReplicationErrorKind.Conflict, "OffsetsConfigMapNotManaged",
                $"ConfigMap {ns}/{AlterConfigMap(connector)} exists and does not belong to flow '{flow}'; the module does not overwrite it.", AlterConfigMap(connector))
            {
                RecommendedAction = "Rename or remove that ConfigMap, or change the offsets with -OffsetApi ConnectRest.",
            };
        await kube.ApplyAsync(cm, dryRun: false, ct).ConfigureAwait(false);
        await RequestAsync(connector, "alter", new JsonObject { ["alterOffsets"] = new JsonObject { ["fromConfigMap"] = new JsonObject { ["name"] = AlterConfigMap(connector) } } }, ct).ConfigureAwait(false);
    }

    public Task ResetAsync(string connector, CancellationToken ct) => RequestAsync(connector, "reset", null, ct);

    public async Task<string?> GetStateAsync(string connector, CancellationToken ct)
    {
        var kc = await kube.GetAsync(Strimzi, "KafkaConnector", ns, connector, ct).ConfigureAwait(false);
        return (string?)kc?["status"]?["connectorStatus"]?["connector"]?["state"];
    }

    /// <summary>Sets the annotation (and spec fields), then waits until the operator removes it, or reports a Warning.</summary>
    private async Task RequestAsync(string connector, string action, JsonObject? spec, CancellationToken ct)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [Annotation] = action } } };
        if (spec is not null) patch["spec"] = spec;
        log.Verbose($"Offsets '{action}' of connector '{connector}' through the {Annotation} annotation.");
        var before = await kube.GetAsync(Strimzi, "KafkaConnector", ns, connector, ct).ConfigureAwait(false);
        var knownWarnings = Warnings(before).ToHashSet();
        await kube.MergePatchAsync(Strimzi, "KafkaConnector", ns, connector, patch, ct).ConfigureAwait(false);
        string? failure = null;
        try
        {
            await KubeWait.UntilAsync(kube, Strimzi, "KafkaConnector", ns, connector, o =>
            {
                if (o?["metadata"]?["annotations"]?[Annotation] is null) return WaitCheck.Complete($"offsets {action} done");
                var fresh = Warnings(o).Where(w => !knownWarnings.Contains(w) && w.Contains("offset", StringComparison.OrdinalIgnoreCase)).ToList();
                if (fresh.Count > 0) { failure = fresh[0]; return WaitCheck.Complete($"offsets {action} failed"); }
                return WaitCheck.Pending($"waiting for Strimzi to {action} the offsets of '{connector}'");
            }, timeout, log, $"Offsets '{action}' of connector '{connector}'", ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Timeout, Ctrl+C or an API error: the request must not stay behind (a pending reset fires at the next stop).
            await ClearAsync(connector, action, e).ConfigureAwait(false);
            throw;
        }
        if (failure is not null)
        {
            // Leave nothing pending: the operator would retry the annotation on every reconciliation.
            await ClearAsync(connector, action, null).ConfigureAwait(false);
            throw new ReplicationException(ReplicationErrorKind.OperationFailed, "StrimziOffsetsFailed", $"Strimzi could not {action} the offsets of '{connector}': {failure}", connector);
        }
    }

    /// <summary>Removes the annotation (bounded, not cancellable); if that fails, says it is pending and how to remove it.</summary>
    private async Task ClearAsync(string connector, string action, Exception? cause)
    {
        var clear = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [Annotation] = null } } };
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await kube.MergePatchAsync(Strimzi, "KafkaConnector", ns, connector, clear, bound.Token).ConfigureAwait(false);
            log.Verbose($"Removed the pending '{action}' request ({Annotation}) from connector '{connector}'.");
        }
        catch (Exception e) when (e is ReplicationException or OperationCanceledException)
        {
            throw new ReplicationException(ReplicationErrorKind.OperationFailed, "StrimziOffsetsRequestPending",
                $"The '{action}' request ({Annotation}) on KafkaConnector {ns}/{connector} could not be removed ({e.Message})" +
                (cause is null ? "." : $" after: {cause.Message}") + " Strimzi may still carry it out; the connector is not set running while it is there.",
                connector, cause ?? e)
            {
                RecommendedAction = $"kubectl annotate kafkaconnector {connector} -n {ns} {Annotation}- ; then check the offsets with Get-SourceOffset and resume with Start-ReplicationFlow.",
            };
        }
    }

    public async Task<string?> PendingRequestAsync(string connector, CancellationToken ct)
    {
        var kc = await kube.GetAsync(Strimzi, "KafkaConnector", ns, connector, ct).ConfigureAwait(false);
        return (string?)kc?["metadata"]?["annotations"]?[Annotation];
    }

    private static IEnumerable<string> Warnings(JsonObject? o) =>
        (o?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Where(c => (string?)c["type"] == "Warning")
            .Select(c => $"{c["reason"]}: {c["message"]}") ?? Enumerable.Empty<string>();
}
