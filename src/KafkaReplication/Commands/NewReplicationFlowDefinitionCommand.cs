using System.Management.Automation;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/New-ReplicationFlowDefinition.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.New, "ReplicationFlowDefinition", DefaultParameterSetName = ParametersSet)]
[OutputType(typeof(ReplicationFlowDefinition))]
public sealed class NewReplicationFlowDefinitionCommand : FlowDefinitionCmdlet
{
    protected override void ProcessRecord() => Guard(() =>
    {
        foreach (var flow in BuildDefinitions()) WriteObject(flow);
    });
}
