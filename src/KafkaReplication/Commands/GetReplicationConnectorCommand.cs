using System.Management.Automation;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Model;
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
        foreach (var c in flow.SelectConnectors(Connector)) WriteObject(Describe(flow, c));
    });
}
