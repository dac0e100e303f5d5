using System.Management.Automation;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Model;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Remove-ReplicationFlow.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ReplicationFlow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ReplicationManifestChange))]
public sealed class RemoveReplicationFlowCommand : KubernetesCmdlet
{
    /// <summary>The flows' names (binds from Name of Get-ReplicationFlow, or Flow of other output).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.FlowNameCompleter))]
    public string[] Flow { get; set; } = [];

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>
    /// Also delete the namespace, if this flow created it and it holds nothing else (no other flow, no object that no
    /// flow created); flows that share a namespace are removed with it only when all of them are given.
    /// </summary>
    [Parameter]
    public SwitchParameter IncludeNamespace { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    // -IncludeNamespace: flows are removed at the end, per namespace, so that flows sharing one (a bidirectional
    // pair) and given together, by -Name a,b or through the pipeline, are checked and removed together.
    private readonly List<(string Flow, string Namespace)> _withNamespace = new();

    protected override void ProcessRecord() => Guard(() =>
    {
        var ns = Namespace ?? DefaultNamespace;
        foreach (var name in Flow)
        {
            if (IncludeNamespace) { if (!_withNamespace.Contains((name, ns))) _withNamespace.Add((name, ns)); }
            else RemoveFlow(name, ns, deleteNamespace: false);
        }
    });

    protected override void EndProcessing()
    {
        try
        {
            Guard(() =>
            {
                foreach (var group in _withNamespace.GroupBy(f => f.Namespace))
                    RemoveWithNamespace(group.Key, group.Select(f => f.Flow).ToList());
            });
        }
        finally
        {
            base.EndProcessing();
        }
    }

    /// <summary>
    /// The namespace goes only if one of the flows created it, and only when deleting it takes nothing else: no other
    /// flow and no object that no flow created. Otherwise nothing is removed and the error names what is in the way.
    /// </summary>
    private void RemoveWithNamespace(string ns, IReadOnlyList<string> flows)
    {
        var inventory = new FlowInventory(Kube, Log);
        var contents = Run(ct => inventory.InspectNamespaceAsync(ns, flows, ct));
        if (!contents.CreatedBy(flows))
        {
            if (contents.Exists)
                WriteWarning($"Namespace '{ns}' was not created by flow {string.Join(" or ", flows.Select(f => $"'{f}'"))}; it is kept.");
            foreach (var flow in flows) RemoveFlow(flow, ns, deleteNamespace: false);
            return;
        }
        var others = contents.Others();
        if (others.Length > 0)
        {
            var named = string.Join(", ", flows.Select(f => $"'{f}'"));
            WriteError(ErrorRecords.From(new ReplicationException(ReplicationErrorKind.Conflict, ErrorIds.NamespaceNotExclusive,
                $"Namespace '{ns}' also holds {others}; deleting it would delete them too. Nothing was removed for flow {named}.", ns)
            {
                RecommendedAction = contents.OtherFlows.Count > 0
                    ? $"Remove the flows together (Remove-ReplicationFlow -Flow {string.Join(",", flows.Concat(contents.OtherFlows))} -Namespace {ns} -IncludeNamespace), or leave out -IncludeNamespace."
                    : "Move or delete those objects first, or leave out -IncludeNamespace.",
            }));
            return;
        }
        var removed = 0;
        for (var i = 0; i < flows.Count; i++)
            if (RemoveFlow(flows[i], ns, deleteNamespace: i == flows.Count - 1 && removed == flows.Count - 1)) removed++;
        if (removed < flows.Count && flows.Count > 1)
            WriteWarning($"Namespace '{ns}' is kept: not every flow in it was removed.");
    }

    /// <summary>Removes one flow's objects (and the namespace when told); false when nothing was removed.</summary>
    private bool RemoveFlow(string name, string ns, bool deleteNamespace)
    {
        var inventory = new FlowInventory(Kube, Log);
        var flowObjects = Run(ct => inventory.GetFlowObjectsAsync(name, ns, ct));
        var objects = flowObjects.Count == 0 ? flowObjects : flowObjects.Concat(Run(ct => inventory.GetRunbookRecordsAsync(name, ns, ct))).ToList();
        if (objects.Count == 0 && !deleteNamespace)
        {
            WriteError(new ErrorRecord(new ItemNotFoundException($"No objects of replication flow '{name}' in namespace '{ns}'."),
                ErrorIds.FlowNotFound, ErrorCategory.ObjectNotFound, name));
            return false;
        }

        var list = string.Join(", ", objects.Select(o => $"{o.Kind} {o.Name}")) + (deleteNamespace ? $", Namespace {ns} (and everything in it)" : "");
        var target = $"replication flow '{name}' in namespace '{ns}'";
        if (!(Force && !IsWhatIf) && !ShouldProcess($"Remove {target}: {list}", $"Remove {target} ({objects.Count} objects)?", "Confirm"))
            return false;

        var done = 0;
        foreach (var (apiVersion, kind, objectName) in objects)
        {
            WriteProgress(new ProgressRecord(2, $"Removing {target}", $"{kind} {objectName}") { PercentComplete = done * 100 / Math.Max(1, objects.Count) });
            Run(ct => inventory.DeleteAsync(apiVersion, kind, ns, objectName, ct));
            done++;
            if (PassThru) WriteObject(new ReplicationManifestChange { Flow = name, Kind = kind, ObjectName = objectName, Namespace = ns, Action = ManifestAction.Delete });
        }
        if (deleteNamespace)
        {
            Run(ct => inventory.DeleteAsync("v1", Kinds.Namespace, null, ns, ct));
            if (PassThru) WriteObject(new ReplicationManifestChange { Flow = name, Kind = Kinds.Namespace, ObjectName = ns, Namespace = ns, Action = ManifestAction.Delete });
        }
        WriteProgress(new ProgressRecord(2, $"Removing {target}", "done") { RecordType = ProgressRecordType.Completed });
        return true;
    }
}
