using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace KafkaReplication.Completion;

/// <summary>Completes -Connector with the connector roles every flow has.</summary>
public sealed class ConnectorCompleter : IArgumentCompleter
{
    private static readonly string[] Roles = { "Source", "Checkpoint", "Heartbeat" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Roles.Where(r => r.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase))
            .Select(r => new CompletionResult(r, r, CompletionResultType.ParameterValue, $"the flow's {r.ToLowerInvariant()} connector(s)"));
}
