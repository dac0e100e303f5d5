using System.Text.Json.Nodes;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Workflows;

namespace KafkaReplication.Engine.Flows;

/// <summary>One object of a flow with what applying it would do.</summary>
public sealed record PlannedManifest(ManifestObject Object, ManifestAction Action, IReadOnlyList<string> ChangedPaths, string? Note = null);

/// <summary>
/// Applies a flow's objects with server-side apply, in dependency order, one object at a time. Each apply is
/// idempotent, so a run that failed half-way is repaired by running it again.
/// </summary>
public sealed class FlowDeployment
{
    private readonly KubeGateway _kube;
    private readonly IOperationLog _log;

    public FlowDeployment(KubeGateway kube, IOperationLog log)
    {
        _kube = kube;
        _log = log;
    }

    /// <summary>
    /// Reads each object's live state and classifies it as Create, Update or Unchanged; objects that carry the flow's
    /// label but are no longer part of it (a heartbeat connector after -NoHeartbeat, a Secret after a protocol change)
    /// are planned for Delete. With adopt, existing objects that no flow manages are taken over instead of refused.
    /// </summary>
    public async Task<IReadOnlyList<PlannedManifest>> PlanAsync(string flow, IReadOnlyList<ManifestObject> objects, CancellationToken ct, bool adopt = false)
    {
        var plan = new List<PlannedManifest>(objects.Count);
        for (var i = 0; i < objects.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var o = objects[i];
            _log.Progress(1, $"Planning flow '{flow}'", o.DisplayName, i * 100 / objects.Count);
            var live = await _kube.GetAsync(o.ApiVersion, o.Kind, o.Namespace, o.Name, ct).ConfigureAwait(false);
            plan.Add(Classify(flow, o, live, adopt));
        }
        var ns = objects.FirstOrDefault(o => o.Namespace is not null)?.Namespace;
        if (ns is not null && plan[0].Action != ManifestAction.Create)
        {
            var existing = await new FlowInventory(_kube, _log).GetFlowObjectsAsync(flow, ns, ct).ConfigureAwait(false);
            foreach (var (apiVersion, kind, name) in existing)
            {
                if (objects.Any(o => o.Kind == kind && o.Name == name)) continue;
                var stale = new ManifestObject(new JsonObject
                {
                    ["apiVersion"] = apiVersion,
                    ["kind"] = kind,
                    ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                });
                plan.Add(new PlannedManifest(stale, ManifestAction.Delete, Array.Empty<string>(), "no longer part of the flow"));
            }
        }
        _log.Progress(1, $"Planning flow '{flow}'", "done", 100, completed: true);
        return plan;
    }

    internal static PlannedManifest Classify(string flow, ManifestObject desired, JsonObject? live, bool adopt = false)
    {
        if (live is null) return new PlannedManifest(desired, ManifestAction.Create, Array.Empty<string>());
        if (desired.Kind == Kinds.Namespace)
        {
            // A namespace the user made stays theirs: the module neither labels it nor ever deletes it. One that another
            // flow created and this one shares (ClaimNamespaceAsync) is applied only by its creator.
            var labels = live["metadata"]?["labels"];
            if ((string?)labels?[FlowLabels.Flow] != flow && labels?[FlowLabels.NamespaceOwner(flow)] is not null)
                return new PlannedManifest(desired, ManifestAction.Unchanged, Array.Empty<string>(), $"shared with flow '{labels?[FlowLabels.Flow]}', which created it");
            if ((string?)labels?[FlowLabels.Flow] != flow)
                return new PlannedManifest(desired, ManifestAction.Unchanged, Array.Empty<string>(), "exists; not managed by this flow");
        }
        else
        {
            var owner = (string?)live["metadata"]?["labels"]?[FlowLabels.Flow];
            if (owner is not null && owner != flow)
                throw new ReplicationException(ReplicationErrorKind.Conflict, "ObjectOwnedByOtherFlow",
                    $"{desired.DisplayName} already belongs to flow '{owner}'. Choose another flow name or namespace.", desired.DisplayName);
            if (owner is null && !adopt)
                throw new ReplicationException(ReplicationErrorKind.Conflict, "ObjectNotManaged",
                    $"{desired.DisplayName} already exists and is not managed by KafkaReplication. Use -Force to take it over (Remove-ReplicationFlow would then delete it), or choose another flow name.", desired.DisplayName)
                {
                    RecommendedAction = "Rename or remove the existing object, or run again with -Force to let this flow manage it.",
                };
        }
        if (desired.Kind == Kinds.KafkaConnect) RefuseExactlyOnceWithoutPreparing(desired, live);
        var diffs = JsonDiff.DesiredNotInLive(desired.Body, live);
        diffs.AddRange(JsonDiff.OwnedNotDesired(desired.Body, live, FlowLabels.FieldManager));
        return diffs.Count == 0
            ? new PlannedManifest(desired, ManifestAction.Unchanged, Array.Empty<string>())
            : new PlannedManifest(desired, ManifestAction.Update, diffs);
    }

    /// <summary>
    /// An existing Connect cluster must pass through exactly.once.source.support=preparing and a rolling restart before
    /// enabled (guide: "For Existing resources"); applying enabled directly would skip that, so it is refused.
    /// </summary>
    private static void RefuseExactlyOnceWithoutPreparing(ManifestObject desired, JsonObject live)
    {
        const string key = ExactlyOnceWorkflow.WorkerKey;
        if (desired.Body["spec"]?["config"]?[key]?.ToString() != "enabled") return;
        var current = live["spec"]?["config"]?[key]?.ToString() ?? "disabled";
        var rolled = StrimziStatus.Of(live).Observed;
        if (current == "enabled" || (current == "preparing" && rolled)) return;
        throw new ReplicationException(ReplicationErrorKind.PreconditionFailed, "ExactlyOnceNeedsPreparing",
            $"{desired.DisplayName} runs with {key}={current}; an existing Connect cluster must first run with 'preparing' (after a rolling restart) before 'enabled'.", desired.DisplayName)
        {
            RecommendedAction = $"Run Enable-ReplicationExactlyOnce -Flow {desired.Body["metadata"]?["labels"]?[FlowLabels.Flow]} -Namespace {desired.Namespace} first, then apply the flow again.",
        };
    }

    /// <summary>Applies one planned object (Unchanged objects are skipped) and reports what happened.</summary>
    public async Task<ReplicationManifestChange> ApplyAsync(string flow, PlannedManifest planned, CancellationToken ct)
    {
        var o = planned.Object;
        if (planned.Action == ManifestAction.Delete)
            await _kube.DeleteAsync(o.ApiVersion, o.Kind, o.Namespace, o.Name, ct).ConfigureAwait(false);
        else if (planned.Action != ManifestAction.Unchanged)
            await _kube.ApplyAsync(o, dryRun: false, ct).ConfigureAwait(false);
        return ToChange(flow, planned);
    }

    /// <summary>
    /// Records that <paramref name="flow"/> co-owns a namespace that another flow of the same run (the other direction
    /// of a bidirectional pair) just created: its own owner label, set by a merge patch so that neither flow's apply
    /// prunes the other's. Remove-ReplicationFlow -IncludeNamespace then needs both flows to delete it.
    /// </summary>
    public Task ClaimNamespaceAsync(string flow, string ns, CancellationToken ct) =>
        _kube.MergePatchAsync("v1", Kinds.Namespace, null, ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [FlowLabels.NamespaceOwner(flow)] = "true" } },
        }, ct);

    public static ReplicationManifestChange ToChange(string flow, PlannedManifest planned) => new()
    {
        Flow = flow,
        Kind = planned.Object.Kind,
        ObjectName = planned.Object.Name,
        // The flow's Namespace object carries its own name, so every change of a flow pipes on with the flow's namespace.
        Namespace = planned.Object.Namespace ?? (planned.Object.Kind == Kinds.Namespace ? planned.Object.Name : null),
        Action = planned.Action,
        ChangedPaths = planned.ChangedPaths,
        Note = planned.Note,
    };
}
