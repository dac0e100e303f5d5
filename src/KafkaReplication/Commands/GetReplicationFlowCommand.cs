using System.Management.Automation;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Model;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Get-ReplicationFlow.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ReplicationFlow", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(ReplicationFlow))]
public sealed class GetReplicationFlowCommand : KubernetesCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string AllSet = "AllNamespaces";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.FlowNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = NamespaceSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter AllNamespaces { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        var ns = AllNamespaces ? null : Namespace ?? DefaultNamespace;
        var patterns = Name?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        var inventory = new FlowInventory(Kube, Log);
        var flows = Run(ct => inventory.GetFlowsAsync(ns, patterns is null ? null : n => patterns.Any(p => p.IsMatch(n)), ct));
        foreach (var flow in flows) WriteObject(flow);

        // A name without wildcards that matched nothing is an error, as with Get-Item.
        foreach (var n in Name ?? Array.Empty<string>())
        {
            if (WildcardPattern.ContainsWildcardCharacters(n) || flows.Any(f => string.Equals(f.Name, n, StringComparison.OrdinalIgnoreCase))) continue;
            WriteError(new ErrorRecord(new ItemNotFoundException($"No replication flow '{n}' in {(ns is null ? "any namespace" : $"namespace '{ns}'")}."),
                ErrorIds.FlowNotFound, ErrorCategory.ObjectNotFound, n));
        }
    });
}
