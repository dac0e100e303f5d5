using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KafkaReplication.Engine.Kubernetes;

namespace KafkaReplication.Completion;

/// <summary>Completes -Context from the contexts of the kubeconfig kubectl would use.</summary>
public sealed class KubeContextCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            // A kubeconfig the module refuses (alias bomb, too large) throws here and completes nothing.
            return KubeCompletion.ContextNames(fakeBoundParameters["Kubeconfig"] as string)
                .Where(n => n.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>(); // completion must never throw at the user
        }
    }
}
