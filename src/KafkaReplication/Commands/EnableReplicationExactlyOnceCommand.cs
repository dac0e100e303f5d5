using System.Management.Automation;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Workflows;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Enable-ReplicationExactlyOnce.md, its only source.
/// </summary>
[Cmdlet(VerbsLifecycle.Enable, "ReplicationExactlyOnce", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ReplicationManifestChange))]
public sealed class EnableReplicationExactlyOnceCommand : FlowCmdlet
{
    /// <summary>How long each wait (a rolling restart, a connector update) may take.</summary>
    [Parameter]
    [ValidateTimeout]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Do not ask for confirmation (each step restarts every Connect pod).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        var kube = Kube;
        var flow = ResolveFlow();
        var workflow = new ExactlyOnceWorkflow(kube, Log);
        var state = Run(ct => workflow.ReadAsync(flow, ct));
        var steps = ExactlyOnceWorkflow.Plan(flow, state);
        WriteVerbose($"Flow '{flow.Name}': {ExactlyOnceWorkflow.WorkerKey}={state.WorkerSetting}, rolling restart {(state.RollFinished ? "finished" : "in progress")}; {steps.Count} step(s) to go.");
        if (steps.Count == 0)
        {
            WriteObject(Change(flow, Kinds.KafkaConnect, flow.ConnectCluster, ManifestAction.Unchanged, null, $"{ExactlyOnceWorkflow.WorkerKey}: enabled"));
            foreach (var c in flow.SourceConnectors)
                WriteObject(Change(flow, Kinds.KafkaConnector, c.Name, ManifestAction.Unchanged, null, $"{ExactlyOnceWorkflow.IsolationKey}: read_committed"));
            return;
        }

        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            WriteProgress(new ProgressRecord(14, $"Enabling exactly-once for flow '{flow.Name}'", $"step {i + 1} of {steps.Count}: {step.Description}") { PercentComplete = i * 100 / steps.Count });
            if (step.Changes && !(Force && !IsWhatIf) && !ShouldProcess(step.Target, step.Description))
            {
                // Later steps build on this one; under -WhatIf they are still listed.
                if (IsWhatIf) continue;
                return;
            }
            if (IsWhatIf) continue;
            Run(ct => workflow.RunAsync(flow, step, Timeout, ct));
            if (step.Changes)
            {
                var objectName = step.Target[(step.Target.LastIndexOf('/') + 1)..];
                var path = step.Kind == ExactlyOnceStepKind.SetReadCommitted ? $"spec.config.{ExactlyOnceWorkflow.IsolationKey}" : $"spec.config.{ExactlyOnceWorkflow.WorkerKey}";
                WriteObject(Change(flow, step.ObjectKind, objectName, ManifestAction.Update, path, step.Description));
            }
        }
        WriteProgress(new ProgressRecord(14, $"Enabling exactly-once for flow '{flow.Name}'", "done") { RecordType = ProgressRecordType.Completed });
    });

    private static ReplicationManifestChange Change(FlowHandle flow, string kind, string name, ManifestAction action, string? path, string note) => new()
    {
        Flow = flow.Name,
        Kind = kind,
        ObjectName = name,
        Namespace = flow.Namespace,
        Action = action,
        ChangedPaths = path is null ? Array.Empty<string>() : new[] { path },
        Note = note,
    };
}
