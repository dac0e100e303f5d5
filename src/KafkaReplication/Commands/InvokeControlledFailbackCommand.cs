using System.Management.Automation;
using KafkaReplication.Engine.Failover;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Invoke-ControlledFailback.md, its only source.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ControlledFailback", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RunbookStep))]
public sealed class InvokeControlledFailbackCommand : ControlledRunbookCmdlet
{
    /// <summary>The flow that replicates back (target → source); found by its aliases when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReverseFlow { get; set; }

    protected override void ProcessRecord() => GuardAll(() =>
    {
        var original = ResolveFlow(Namespace ?? DefaultNamespace, Flow);
        var kube = Kube;
        var name = Run(ct => ReverseFlowFinder.FindAsync(kube, original, ReverseFlow, ct));
        var reverse = ResolveFlow(original.Namespace, name);
        WriteWarning($"Consumer progress on the prefixed topics ({original.SourceAlias}.<topic>) on '{original.TargetAlias}' does not map back to " +
                     $"'{original.SourceAlias}': consumers may reprocess old data unless the failover was run with a cutoff.");
        var (groups, active) = Groups();
        var plan = ControlledFailoverPlan.Build(FailoverContextFor(reverse, active), Mode);
        Execute(reverse, $"ControlledFailback/{Mode}/{string.Join(",", groups)}", $"{Mode} failback over flow '{reverse.Name}' for groups {string.Join(", ", groups)}", plan);
    });
}
