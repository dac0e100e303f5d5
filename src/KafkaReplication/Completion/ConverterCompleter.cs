using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Completion;

/// <summary>Completes -Converter with the short names the module knows (Json, String, ByteArray).</summary>
public sealed class ConverterCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        RecordConverters.ShortNames.Where(n => n.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, RecordConverters.Resolve(n)));
}
