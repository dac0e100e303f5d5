using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine;
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
            var config = KubeConnection.ResolveConfiguration(fakeBoundParameters["Kubeconfig"] as string, fakeBoundParameters["Context"] as string);
            var ns = fakeBoundParameters["Namespace"] as string;
            using var kube = new KubeGateway(new k8s.Kubernetes(config), NullOperationLog.Instance);
            var flows = new FlowInventory(kube, NullOperationLog.Instance).GetFlowsAsync(ns, null, cts.Token).GetAwaiter().GetResult();
            return flows.Select(f => f.Name).Distinct()
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
