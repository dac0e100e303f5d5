using System.Management.Automation;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Commands;

/// <summary>
/// <para type="synopsis">Makes a replication flow definition in memory (no cluster, no files), to check with Test-ReplicationFlow and deploy or render with New-ReplicationFlow.</para>
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
