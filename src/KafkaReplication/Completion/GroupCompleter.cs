using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KafkaReplication.Engine.Kubernetes;

namespace KafkaReplication.Completion;

/// <summary>
/// Completes -Group (and -ExcludeGroup) with the group ids the flow's checkpoint connector names, read from the
/// cluster within a short time limit. Groups are never listed from Kafka (see Get-ConsumerGroupLag).
/// </summary>
public sealed class GroupCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            if ((fakeBoundParameters["Flow"] ?? fakeBoundParameters["Name"]) is not string flowName) return Array.Empty<CompletionResult>();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var (flow, groups) = KubeCompletion.CheckpointGroups(fakeBoundParameters["Kubeconfig"] as string, fakeBoundParameters["Context"] as string,
                fakeBoundParameters["Namespace"] as string, flowName, cts.Token);
            return groups
                .Where(g => g.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase))
                .Select(g => new CompletionResult(g, g, CompletionResultType.ParameterValue, $"a group flow '{flow}' checkpoints"))
                .ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
