using System.Management.Automation;
using KafkaReplication.Engine.Failover;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// <para type="synopsis">Gets the last MirrorMaker 2 checkpoint per consumer group and partition from the target cluster, next to the target group's committed offset.</para>
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
