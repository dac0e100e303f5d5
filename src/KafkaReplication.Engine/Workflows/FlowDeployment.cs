using System.Text.Json.Nodes;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Workflows;

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

    /// <summary>Reads each object's live state and classifies it as Create, Update or Unchanged.</summary>
    public async Task<IReadOnlyList<PlannedManifest>> PlanAsync(string flow, IReadOnlyList<ManifestObject> objects, CancellationToken ct)
    {
        var plan = new List<PlannedManifest>(objects.Count);
        for (var i = 0; i < objects.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var o = objects[i];
            _log.Progress(1, $"Planning flow '{flow}'", o.DisplayName, i * 100 / objects.Count);
            var live = await _kube.GetAsync(o.ApiVersion, o.Kind, o.Namespace, o.Name, ct).ConfigureAwait(false);
            plan.Add(Classify(flow, o, live));
        }
        _log.Progress(1, $"Planning flow '{flow}'", "done", 100, completed: true);
        return plan;
    }

    internal static PlannedManifest Classify(string flow, ManifestObject desired, JsonObject? live)
    {
        if (live is null) return new PlannedManifest(desired, ManifestAction.Create, Array.Empty<string>());
        if (desired.Kind == "Namespace")
        {
            // A namespace the user made stays theirs: the module neither labels it nor ever deletes it.
            var owner = (string?)live["metadata"]?["labels"]?[FlowLabels.Flow];
            if (owner != flow)
                return new PlannedManifest(desired, ManifestAction.Unchanged, Array.Empty<string>(), "exists; not managed by this flow");
        }
        else
        {
            var owner = (string?)live["metadata"]?["labels"]?[FlowLabels.Flow];
            if (owner is not null && owner != flow)
                throw new ReplicationException(ReplicationErrorKind.Conflict, "ObjectOwnedByOtherFlow",
                    $"{desired.DisplayName} already belongs to flow '{owner}'. Choose another flow name or namespace.", desired.DisplayName);
        }
        var diffs = JsonDiff.DesiredNotInLive(desired.Body, live);
        return diffs.Count == 0
            ? new PlannedManifest(desired, ManifestAction.Unchanged, Array.Empty<string>())
            : new PlannedManifest(desired, ManifestAction.Update, diffs);
    }

    /// <summary>Applies one planned object (Unchanged objects are skipped) and reports what happened.</summary>
    public async Task<ReplicationManifestChange> ApplyAsync(string flow, PlannedManifest planned, CancellationToken ct)
    {
        var o = planned.Object;
        if (planned.Action != ManifestAction.Unchanged)
            await _kube.ApplyAsync(o, dryRun: false, ct).ConfigureAwait(false);
        return ToChange(flow, planned, whatIf: false);
    }

    public static ReplicationManifestChange ToChange(string flow, PlannedManifest planned, bool whatIf) => new()
    {
        Flow = flow,
        Kind = planned.Object.Kind,
        Name = planned.Object.Name,
        Namespace = planned.Object.Namespace,
        Action = planned.Action,
        ChangedPaths = planned.ChangedPaths,
        WhatIf = whatIf,
        Note = planned.Note,
    };
}
