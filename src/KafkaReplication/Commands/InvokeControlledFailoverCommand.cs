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
    protected override void ProcessRecord() => Guard(() =>
    {
        var flow = ResolveFlow();
        var groups = Group.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var active = groups.Except(ExcludeGroup ?? Array.Empty<string>(), StringComparer.Ordinal).ToList();
        var context = FailoverContextFor(flow, active);
        var plan = ControlledFailoverPlan.Build(context, Mode);
        Execute(flow, $"ControlledFailover/{Mode}/{string.Join(",", groups)}", $"{Mode} failover of flow '{flow.Name}' for groups {string.Join(", ", groups)}", plan);
    });
}
