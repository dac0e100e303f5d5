using System.Collections;
using System.Management.Automation;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Failover;
using KafkaReplication.Engine.Model;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Invoke-DisasterFailover.md, its only source.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "DisasterFailover", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DisasterFailoverReport))]
public sealed class InvokeDisasterFailoverCommand : ConnectFlowCmdlet
{
    /// <summary>The target cluster; default: the KafkaConnect's bootstrapServers without security.</summary>
    [Parameter]
    public ReplicationClusterReference? Target { get; set; }

    /// <summary>Bootstrap servers of the target reachable from here.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TargetBootstrapServers { get; set; }

    /// <summary>Extra librdkafka settings for the target client, applied last.</summary>
    [Parameter]
    public Hashtable? TargetKafkaConfig { get; set; }

    /// <summary>How offsets are read and states observed: Auto, ConnectRest or StrimziAnnotations (Strimzi 0.44+).</summary>
    [Parameter]
    public OffsetApi OffsetApi { get; set; } = OffsetApi.Auto;

    /// <summary>The consumer groups that move (explicit ids).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.GroupCompleter))]
    public string[] Group { get; set; } = Array.Empty<string>();

    /// <summary>Writes each trailing group's last checkpoints to its target offsets (the group must have no active members).</summary>
    [Parameter]
    public SwitchParameter ApplyCheckpoints { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        var flow = ResolveFlow();
        var endpoint = KafkaParameters.Endpoint(Target, TargetBootstrapServers, TargetKafkaConfig);
        var target = Run(ct => Session.TargetKafkaAsync(flow, endpoint, ct));
        var (offsets, _) = ConnectorAccess(flow, OffsetApi, TimeSpan.FromMinutes(5));
        var groups = Group.Distinct(StringComparer.Ordinal).ToList();
        var report = Run(ct => DisasterFailover.AssessAsync(flow, offsets, target, groups, ct));
        WriteWarning(report.DataLoss);
        foreach (var g in groups.Where(g => report.Checkpoints.All(c => c.Group != g)))
            WriteWarning($"Group '{g}' has no checkpoint on the target: its consumers will start per their auto.offset.reset.");
        var applied = new List<string>();
        if (ApplyCheckpoints)
            foreach (var g in report.TrailingGroups)
                if (ShouldProcess($"group '{g}' on the target cluster", "Set the committed offsets to the last checkpoints"))
                {
                    Run(ct => DisasterFailover.ApplyAsync(target, report, g, ct));
                    applied.Add(g);
                }
        report.AppliedGroups = applied;
        WriteObject(report);
    });
}
