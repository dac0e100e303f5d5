using System.Management.Automation;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Workflows;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Start-, Stop- and Suspend-ReplicationFlow: set spec.state of the flow's KafkaConnectors (Strimzi reverts state
/// changed through REST), then wait until Connect reports the state.
/// </summary>
public abstract class ConnectorStateCmdlet : ConnectorApiCmdlet
{
    /// <summary>Connector roles (Source, Checkpoint, Heartbeat) or names; all when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.ConnectorCompleter))]
    public string[]? Connector { get; set; }

    /// <summary>How long to wait for Connect to report the state.</summary>
    [Parameter]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    protected override TimeSpan ConnectorApiTimeout => Timeout;

    /// <summary>Change spec.state and return without waiting.</summary>
    [Parameter]
    public SwitchParameter NoWait { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected abstract string DesiredState { get; }
    protected abstract string Verb { get; }

    protected override void ProcessRecord() => Guard(() =>
    {
        var flow = ResolveFlow();
        var targets = SelectConnectors(flow, Connector);
        var kube = Kube;
        var (_, states) = NoWait ? (null, null) : ConnectorAccess(flow);
        foreach (var c in targets)
        {
            if (!ShouldProcess($"connector {flow.Namespace}/{c.Name} of flow '{flow.Name}' (now {c.DesiredState})", $"{Verb} (spec.state: {DesiredState})")) continue;
            if (states is null)
            {
                var patch = new System.Text.Json.Nodes.JsonObject { ["spec"] = new System.Text.Json.Nodes.JsonObject { ["state"] = DesiredState } };
                Run(ct => kube.MergePatchAsync(FlowManifestBuilder.StrimziApiVersion, "KafkaConnector", flow.Namespace, c.Name, patch, ct));
            }
            else
            {
                var control = new ConnectorControl(kube, states, Log);
                Run(ct => control.SetStateAsync(flow, c.Name, DesiredState, Timeout, ct));
            }
            if (PassThru)
            {
                var connect = OpenConnect(flow);
                var resource = Run(ct => kube.GetAsync(FlowManifestBuilder.StrimziApiVersion, "KafkaConnector", flow.Namespace, c.Name, ct));
                WriteObject(Run(ct => ConnectorControl.DescribeAsync(connect, flow, c with { DesiredState = DesiredState }, resource, ct)));
            }
        }
    });
}

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Start-ReplicationFlow.md, its only source.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "ReplicationFlow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ReplicationConnector))]
public sealed class StartReplicationFlowCommand : ConnectorStateCmdlet
{
    protected override string DesiredState => "running";
    protected override string Verb => "Start";
}

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Stop-ReplicationFlow.md, its only source.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "ReplicationFlow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ReplicationConnector))]
public sealed class StopReplicationFlowCommand : ConnectorStateCmdlet
{
    protected override string DesiredState => "stopped";
    protected override string Verb => "Stop";
}

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Suspend-ReplicationFlow.md, its only source.
/// </summary>
[Cmdlet(VerbsLifecycle.Suspend, "ReplicationFlow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ReplicationConnector))]
public sealed class SuspendReplicationFlowCommand : ConnectorStateCmdlet
{
    protected override string DesiredState => "paused";
    protected override string Verb => "Suspend";
}
