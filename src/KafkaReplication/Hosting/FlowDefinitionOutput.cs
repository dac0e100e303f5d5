using System.Management.Automation;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Hosting;

/// <summary>
/// A flow definition as the cmdlets write it: with the properties it shows where no view of
/// KafkaReplication.Format.ps1xml applies (after other objects in one output, as New-ReplicationFlow -PassThru writes
/// files or changes first, PowerShell lists an object of another type by its default display property set). Set on
/// each written object, not in a types.ps1xml: a types file cost about 6 ms of every Import-Module
/// (docs/performance.md), and only these two cmdlets make definitions.
/// </summary>
internal static class FlowDefinitionOutput
{
    private static readonly string[] DisplayedProperties =
    [
        nameof(ReplicationFlowDefinition.Name), nameof(ReplicationFlowDefinition.Namespace), nameof(ReplicationFlowDefinition.Source),
        nameof(ReplicationFlowDefinition.Target), nameof(ReplicationFlowDefinition.AllTopics), nameof(ReplicationFlowDefinition.Groups),
        nameof(ReplicationFlowDefinition.ConnectClusterName), nameof(ReplicationFlowDefinition.ReplicationPolicy),
        nameof(ReplicationFlowDefinition.ExactlyOnce), nameof(ReplicationFlowDefinition.Metrics),
    ];

    public static PSObject Wrap(ReplicationFlowDefinition flow)
    {
        var output = PSObject.AsPSObject(flow);
        // A definition piped back in (New-ReplicationFlow -Definition ... -PassThru) may carry the set already.
        if (output.Members["PSStandardMembers"] is null)
            output.Members.Add(new PSMemberSet("PSStandardMembers",
            [new PSPropertySet("DefaultDisplayPropertySet", DisplayedProperties)]));
        return output;
    }
}
