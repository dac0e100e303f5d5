using System.Collections;
using System.Management.Automation;
using KafkaReplication.Engine.Failover;
using KafkaReplication.Engine.Model;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Get-ReplicationCheckpoint.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ReplicationCheckpoint")]
[OutputType(typeof(ReplicationCheckpoint))]
public sealed class GetReplicationCheckpointCommand : FlowCmdlet
{
    /// <summary>Consumer groups (wildcards allowed, matched against the groups found in the checkpoints).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.GroupCompleter))]
    public string[]? Group { get; set; }

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

    protected override void ProcessRecord() => Guard(() =>
    {
        var flow = ResolveFlow();
        var endpoint = KafkaParameters.Endpoint(Target, TargetBootstrapServers, TargetKafkaConfig);
        var target = Run(ct => Session.TargetKafkaAsync(flow, endpoint, ct));
        var patterns = Group?.Select(g => new WildcardPattern(g, WildcardOptions.IgnoreCase)).ToList();
        Func<string, bool>? filter = patterns is null ? null : g => patterns.Any(p => p.IsMatch(g));
        foreach (var c in Run(ct => CheckpointReader.ReadAsync(target, flow, filter, ct)))
            WriteObject(c);
    });
}
