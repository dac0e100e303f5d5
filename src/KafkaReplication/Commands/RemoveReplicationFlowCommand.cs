using System.Management.Automation;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Workflows;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// <para type="synopsis">Removes every object a replication flow created (found by its labels), and nothing else.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ReplicationFlow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ReplicationManifestChange))]
public sealed class RemoveReplicationFlowCommand : FlowCmdlet
{
    /// <summary>Also delete the namespace, if this flow created it (it carries the flow's label).</summary>
    [Parameter]
    public SwitchParameter IncludeNamespace { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        var ns = FlowNamespace;
        var inventory = new FlowInventory(Kube, Log);
        var flowObjects = Run(ct => inventory.GetFlowObjectsAsync(Flow, ns, ct));
        var objects = flowObjects.Count == 0 ? flowObjects : flowObjects.Concat(Run(ct => inventory.GetRunbookRecordsAsync(Flow, ns, ct))).ToList();
        var deleteNamespace = IncludeNamespace && Run(ct => inventory.NamespaceBelongsToFlowAsync(Flow, ns, ct));
        if (IncludeNamespace && !deleteNamespace)
            WriteWarning($"Namespace '{ns}' was not created by flow '{Flow}'; it is kept.");
        if (objects.Count == 0 && !deleteNamespace)
        {
            WriteError(new ErrorRecord(new ItemNotFoundException($"No objects of replication flow '{Flow}' in namespace '{ns}'."),
                ErrorIds.FlowNotFound, ErrorCategory.ObjectNotFound, Flow));
            return;
        }

        var list = string.Join(", ", objects.Select(o => $"{o.Kind} {o.Name}")) + (deleteNamespace ? $", Namespace {ns} (and everything in it)" : "");
        var target = $"replication flow '{Flow}' in namespace '{ns}'";
        if (!(Force && !IsWhatIf) && !ShouldProcess($"Remove {target}: {list}", $"Remove {target} ({objects.Count} objects)?", "Confirm"))
            return;

        var done = 0;
        foreach (var (apiVersion, kind, name) in objects)
        {
            WriteProgress(new ProgressRecord(2, $"Removing {target}", $"{kind} {name}") { PercentComplete = done * 100 / Math.Max(1, objects.Count) });
            Run(ct => inventory.DeleteAsync(apiVersion, kind, ns, name, ct));
            done++;
            if (PassThru) WriteObject(new ReplicationManifestChange { Flow = Flow, Kind = kind, ObjectName = name, Namespace = ns, Action = ManifestAction.Delete });
        }
        if (deleteNamespace)
        {
            Run(ct => inventory.DeleteAsync("v1", "Namespace", null, ns, ct));
            if (PassThru) WriteObject(new ReplicationManifestChange { Flow = Flow, Kind = "Namespace", ObjectName = ns, Namespace = ns, Action = ManifestAction.Delete });
        }
        WriteProgress(new ProgressRecord(2, $"Removing {target}", "done") { RecordType = ProgressRecordType.Completed });
    });
}
