using System.Management.Automation;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Workflows;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Get-ReplicationConnector.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ReplicationConnector")]
[OutputType(typeof(ReplicationConnector))]
public sealed class GetReplicationConnectorCommand : ConnectFlowCmdlet
{
    /// <summary>Connector roles (Source, Checkpoint, Heartbeat) or names; all when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.ConnectorCompleter))]
    public string[]? Connector { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        var flow = ResolveFlow();
        var connect = OpenConnect(flow);
        var kube = Kube;
        foreach (var c in SelectConnectors(flow, Connector))
        {
            var resource = Run(ct => kube.GetAsync(FlowManifestBuilder.StrimziApiVersion, "KafkaConnector", flow.Namespace, c.Name, ct));
            WriteObject(Run(ct => ConnectorControl.DescribeAsync(connect, flow, c, resource, ct)));
        }
    });
}
