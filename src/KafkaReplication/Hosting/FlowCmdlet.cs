using System.Management.Automation;
using KafkaReplication.Engine.Flows;

namespace KafkaReplication.Hosting;

/// <summary>
/// A cmdlet that operates a deployed flow without its Connect REST API: binds the flow by name (from
/// Get-ReplicationFlow or any object with Flow/Name and Namespace properties). Its siblings for the cmdlets that also
/// reach Kafka Connect (<see cref="ConnectFlowCmdlet"/>, ConnectorStateCmdlet, <see cref="ControlledRunbookCmdlet"/>)
/// declare the same -Flow and -Namespace.
/// </summary>
public abstract class FlowCmdlet : KubernetesCmdlet
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

    protected string FlowNamespace => Namespace ?? DefaultNamespace;

    /// <summary>The flow named by -Flow and -Namespace.</summary>
    protected FlowHandle ResolveFlow() => ResolveFlow(FlowNamespace, Flow);
}
