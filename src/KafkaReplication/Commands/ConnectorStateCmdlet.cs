using System.Management.Automation;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Session;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Start-, Stop- and Suspend-ReplicationFlow: set spec.state of the flow's KafkaConnectors (Strimzi reverts state
/// changed through REST), then wait until Connect reports the state. -Flow, -Namespace, -ConnectAccess and -ConnectUri
/// are declared as on <see cref="ConnectFlowCmdlet"/>.
/// </summary>
public abstract class ConnectorStateCmdlet : KubernetesCmdlet
{
    /// <summary>The flow's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.FlowNameCompleter))]
    public string Flow { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>How to reach the Connect REST API: PortForward (default), ServiceProxy, or Direct with -ConnectUri.</summary>
    [Parameter]
    public ConnectAccess ConnectAccess { get; set; } = ConnectAccess.PortForward;

    /// <summary>A URL of the Connect REST API (implies -ConnectAccess Direct). User info in it is used as Basic credentials and never shown.</summary>
    [Parameter]
    public Uri? ConnectUri { get; set; }

    /// <summary>Basic credentials for -ConnectUri (e.g. an authenticating ingress in front of Connect).</summary>
    [Parameter]
    [Credential]
    public PSCredential? ConnectCredential { get; set; }

    /// <summary>PEM file of the CA that the -ConnectUri server's certificate must chain to (its host name is checked too).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConnectCaCertificatePath { get; set; }

    /// <summary>How connector states are observed: Auto, ConnectRest or StrimziAnnotations.</summary>
    [Parameter]
    public OffsetApi OffsetApi { get; set; } = OffsetApi.Auto;

    /// <summary>Connector roles (Source, Checkpoint, Heartbeat) or names; all when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.ConnectorCompleter))]
    public string[]? Connector { get; set; }

    /// <summary>How long to wait for Connect to report the state.</summary>
    [Parameter]
    [ValidateTimeout]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Change spec.state and return without waiting.</summary>
    [Parameter]
    public SwitchParameter NoWait { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected abstract string DesiredState { get; }
    protected abstract string Verb { get; }

    protected override void ProcessRecord() => Guard(() =>
    {
        var endpoint = ConnectParameters.Endpoint(this, ConnectAccess, ConnectUri, ConnectCredential, ConnectCaCertificatePath);
        var flow = ResolveFlow(Namespace ?? DefaultNamespace, Flow);
        var targets = flow.SelectConnectors(Connector);
        var kube = Kube;
        var (_, states) = NoWait ? (null, null) : ConnectorAccess(flow, endpoint, OffsetApi, Timeout);
        foreach (var c in targets)
        {
            if (!ShouldProcess($"connector {flow.Namespace}/{c.Name} of flow '{flow.Name}' (now {c.DesiredState})", $"{Verb} (spec.state: {DesiredState})")) continue;
            if (states is null)
            {
                var patch = new System.Text.Json.Nodes.JsonObject { ["spec"] = new System.Text.Json.Nodes.JsonObject { ["state"] = DesiredState } };
                Run(ct => kube.MergePatchAsync(FlowManifestBuilder.StrimziApiVersion, Kinds.KafkaConnector, flow.Namespace, c.Name, patch, ct));
            }
            else
            {
                var control = new ConnectorControl(kube, states, Log);
                Run(ct => control.SetStateAsync(flow, c.Name, DesiredState, Timeout, ct));
            }
            if (PassThru) WriteObject(Describe(flow, c with { DesiredState = DesiredState }, endpoint));
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
