using System.Management.Automation;
using KafkaReplication.Engine.Failover;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Get-ReplicationCheckpoint.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ReplicationCheckpoint")]
[OutputType(typeof(ReplicationCheckpoint))]
public sealed class GetReplicationCheckpointCommand : TargetKafkaFlowCmdlet
{
    /// <summary>Consumer groups (wildcards allowed, matched against the groups found in the checkpoints).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.GroupCompleter))]
    public string[]? Group { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        var flow = ResolveFlow();
        var target = OpenTargetKafka(flow);
        var patterns = Group?.Select(g => new WildcardPattern(g, WildcardOptions.IgnoreCase)).ToList();
        Func<string, bool>? filter = patterns is null ? null : g => patterns.Any(p => p.IsMatch(g));
        foreach (var c in Run(ct => CheckpointReader.ReadAsync(target, flow, filter, ct)))
            WriteObject(c);
    });
}
