using System.Management.Automation;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Session;

namespace KafkaReplication.Hosting;

/// <summary>
/// A cmdlet that operates a deployed flow through its Kafka Connect cluster: binds the flow by name like
/// <see cref="FlowCmdlet"/> (the same -Flow and -Namespace) and holds the Connect access parameters (declared the same
/// way on ConnectorStateCmdlet and <see cref="ControlledRunbookCmdlet"/>; the engine side is <see cref="ConnectEndpoint"/>).
/// </summary>
public abstract class ConnectFlowCmdlet : KubernetesCmdlet
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

    protected string FlowNamespace => Namespace ?? DefaultNamespace;

    /// <summary>How this invocation reaches Kafka Connect.</summary>
    protected ConnectEndpoint ConnectEndpoint => ConnectParameters.Endpoint(this, ConnectAccess, ConnectUri, ConnectCredential, ConnectCaCertificatePath);

    /// <summary>The flow named by -Flow and -Namespace.</summary>
    protected FlowHandle ResolveFlow() => ResolveFlow(FlowNamespace, Flow);

    /// <summary>The Connect REST client of the flow's Connect cluster.</summary>
    protected ConnectRestClient OpenConnect(FlowHandle flow) => OpenConnect(flow, ConnectEndpoint);

    /// <summary>The offsets and state path for the flow (REST or Strimzi annotations), chosen once per invocation.</summary>
    protected (IConnectorOffsets Offsets, IConnectorStates States) ConnectorAccess(FlowHandle flow, OffsetApi api, TimeSpan annotationTimeout) =>
        ConnectorAccess(flow, ConnectEndpoint, api, annotationTimeout);

    /// <summary>A connector as Get-ReplicationConnector shows it.</summary>
    protected ReplicationConnector Describe(FlowHandle flow, FlowConnector connector) => Describe(flow, connector, ConnectEndpoint);
}
