using System.Management.Automation;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Workflows;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Remove-ReplicationFlow.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ReplicationFlow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ReplicationManifestChange))]
public sealed class RemoveReplicationFlowCommand : KubernetesCmdlet
{
    /// <summary>The flow's name (binds from Name of Get-ReplicationFlow, or Flow of other output).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Flow")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.FlowNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Also delete the namespace, if this flow created it (it carries the flow's label).</summary>
    [Parameter]
    public SwitchParameter IncludeNamespace { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        var ns = Namespace ?? DefaultNamespace;
        var inventory = new FlowInventory(Kube, Log);
        var flowObjects = Run(ct => inventory.GetFlowObjectsAsync(Name, ns, ct));
        var objects = flowObjects.Count == 0 ? flowObjects : flowObjects.Concat(Run(ct => inventory.GetRunbookRecordsAsync(Name, ns, ct))).ToList();
        var deleteNamespace = IncludeNamespace && Run(ct => inventory.NamespaceBelongsToFlowAsync(Name, ns, ct));
        if (IncludeNamespace && !deleteNamespace)
            WriteWarning($"Namespace '{ns}' was not created by flow '{Name}'; it is kept.");
        if (objects.Count == 0 && !deleteNamespace)
        {
            WriteError(new ErrorRecord(new ItemNotFoundException($"No objects of replication flow '{Name}' in namespace '{ns}'."),
                "FlowNotFound", ErrorCategory.ObjectNotFound, Name));
            return;
        }

        var list = string.Join(", ", objects.Select(o => $"{o.Kind} {o.Name}")) + (deleteNamespace ? $", Namespace {ns} (and everything in it)" : "");
        var target = $"replication flow '{Name}' in namespace '{ns}'";
        if (!(Force && !IsWhatIf) && !ShouldProcess($"Remove {target}: {list}", $"Remove {target} ({objects.Count} objects)?", "Confirm"))
            return;

        var done = 0;
        foreach (var (apiVersion, kind, name) in objects)
        {
            WriteProgress(new ProgressRecord(2, $"Removing {target}", $"{kind} {name}") { PercentComplete = done * 100 / Math.Max(1, objects.Count) });
            Run(ct => inventory.DeleteAsync(apiVersion, kind, ns, name, ct));
            done++;
            if (PassThru) WriteObject(new ReplicationManifestChange { Flow = Name, Kind = kind, ObjectName = name, Namespace = ns, Action = ManifestAction.Delete });
        }
        if (deleteNamespace)
        {
            Run(ct => inventory.DeleteAsync("v1", "Namespace", null, ns, ct));
            if (PassThru) WriteObject(new ReplicationManifestChange { Flow = Name, Kind = "Namespace", ObjectName = ns, Namespace = ns, Action = ManifestAction.Delete });
        }
        WriteProgress(new ProgressRecord(2, $"Removing {target}", "done") { RecordType = ProgressRecordType.Completed });
    });
}
