using System.Management.Automation;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Validation;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/New-ReplicationFlowDefinition.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.New, "ReplicationFlowDefinition", DefaultParameterSetName = ParametersSet)]
[OutputType(typeof(ReplicationFlowDefinition))]
public sealed class NewReplicationFlowDefinitionCommand : FlowDefinitionCmdlet
{
    // The errors in the values given (names, namespace, numbers, topics, registry, aliases) that New-ReplicationFlow
    // refuses: no definition is made of them. What the flow does with them (transforms, conversions, loops, overlaps)
    // is what Test-ReplicationFlow reports on a definition, so those findings are left to it.
    private static readonly HashSet<string> InputErrors = new(StringComparer.Ordinal)
    {
        "InvalidFlowName", "InvalidNamespace", "InvalidConnectClusterName", "InvalidConnectReplicas", "InvalidTasksMax",
        "InvalidInterval", "InvalidRegistrySecretName", "RegistryIncomplete", "SameAlias", "TargetCaRequired",
        "TopicsRequired", "TopicsWithSourceConnectors", "InvalidResourceQuantity", "ResourceLimitBelowRequest",
    };

    protected override void ProcessRecord() => Guard(() =>
    {
        foreach (var flow in BuildDefinitions())
        {
            var errors = FlowValidator.Validate(flow).Where(f => f.Severity == FindingSeverity.Error && InputErrors.Contains(f.Code)).ToList();
            if (errors.Count > 0)
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"Flow '{flow.Name}' is not valid:{Environment.NewLine}" +
                    string.Join(Environment.NewLine, errors.Select(e => $"  {e.Code}: {e.Message}"))), "FlowValidationFailed", ErrorCategory.InvalidData, errors));
            WriteObject(FlowDefinitionOutput.Wrap(flow));
        }
    });
}
