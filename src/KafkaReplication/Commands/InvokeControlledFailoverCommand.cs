using System.Management.Automation;
using KafkaReplication.Engine.Failover;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Invoke-ControlledFailover.md, its only source.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ControlledFailover", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RunbookStep))]
public sealed class InvokeControlledFailoverCommand : ControlledRunbookCmdlet
{
    protected override void ProcessRecord() => GuardAll(() =>
    {
        var flow = ResolveFlow(Namespace ?? DefaultNamespace, Flow);
        var (groups, active) = Groups();
        var plan = ControlledFailoverPlan.Build(FailoverContextFor(flow, active), Mode);
        Execute(flow, $"ControlledFailover/{Mode}/{string.Join(",", groups)}", $"{Mode} failover of flow '{flow.Name}' for groups {string.Join(", ", groups)}", plan);
    });
}
