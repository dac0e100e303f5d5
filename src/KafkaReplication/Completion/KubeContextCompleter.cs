using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace KafkaReplication.Completion;

/// <summary>Completes -Context from the contexts of the kubeconfig kubectl would use.</summary>
public sealed class KubeContextCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var explicitPath = fakeBoundParameters["Kubeconfig"] as string;
            var files = explicitPath is not null ? new[] { explicitPath }
                : (Environment.GetEnvironmentVariable("KUBECONFIG") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config"))
                    .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            // A kubeconfig the module refuses (alias bomb, too large) throws here and completes nothing.
            foreach (var f in files.Where(File.Exists)) KafkaReplication.Engine.Kubernetes.KubeConnection.Guard(f);
            return files.Where(File.Exists)
                .SelectMany(f => k8s.KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(f), false).Contexts ?? [])
                .Select(c => c.Name)
                .Where(n => n.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase))
                .Distinct()
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>(); // completion must never throw at the user
        }
    }
}
