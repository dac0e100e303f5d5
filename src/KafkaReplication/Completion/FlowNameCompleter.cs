using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KafkaReplication.Engine.Kubernetes;

namespace KafkaReplication.Completion;

/// <summary>Completes -Name with the flows deployed in the cluster (by label), within a short time limit.</summary>
public sealed class FlowNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            return KubeCompletion.FlowNames(fakeBoundParameters["Kubeconfig"] as string, fakeBoundParameters["Context"] as string,
                    fakeBoundParameters["Namespace"] as string, cts.Token)
                .Where(n => n.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
